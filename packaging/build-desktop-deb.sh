#!/bin/sh
# build-desktop-deb.sh BINARY DEB_VERSION OUTDIR: the canale-admin desktop
# package, OUTDIR/canale-admin_<version>_<arch>.deb, with its desktop entry,
# icon and AppStream metadata. dpkg-shlibdeps names the libraries the cgo
# binary links (libc, GL, X11) as dependencies.
set -eu
. packaging/deb.sh

install -D -m 0755 "$bin" "$root/usr/bin/canale-admin"
install -D -m 0644 packaging/io.canale.admin.desktop "$root/usr/share/applications/io.canale.admin.desktop"
install -D -m 0644 desktop/icon.svg "$root/usr/share/icons/hicolor/scalable/apps/io.canale.admin.svg"
install -D -m 0644 packaging/io.canale.admin.metainfo.xml "$root/usr/share/metainfo/io.canale.admin.metainfo.xml"
MANPAGES=canale-admin.1 deb_docs "$root" canale-admin "$version"

# dpkg-shlibdeps wants a source tree with debian/control; give it a minimal one.
mkdir -p "$root/src/debian"
printf 'Source: canale\n\nPackage: canale-admin\nArchitecture: any\n' >"$root/src/debian/control"
depends=$(cd "$root/src" && dpkg-shlibdeps -O "$root/usr/bin/canale-admin" | sed -n 's/^shlibs:Depends=//p')
rm -r "$root/src"
[ -n "$depends" ] || { echo "build-desktop-deb: dpkg-shlibdeps found no dependencies" >&2; exit 1; }

install -d "$root/DEBIAN"
cat >"$root/DEBIAN/control" <<CONTROL
Package: canale-admin
Version: $version
Architecture: $arch
Maintainer: Canale developers <dev@canale.invalid>
Installed-Size: 0
Depends: $depends
Section: video
Priority: optional
Homepage: https://github.com/canale-iptv/canale
Description: NOC desktop app of the Canale IPTV middleware
 Canale Admin signs in to a Canale server and shows the health of every
 streamer and channel as it changes, raises alerts, and administers
 channels, streamers, pipelines, packages, subscribers and resellers.
CONTROL
mkdir -p "$out"
deb_build "$root" "$out/canale-admin_${version}_${arch}.deb"
