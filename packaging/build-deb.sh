#!/bin/sh
# build-deb.sh BINARY DEB_VERSION OUTDIR: the canale server package,
# OUTDIR/canale_<version>_<arch>.deb. The Makefile's `deb` and `dist` targets
# and the packaging tests call it.
set -eu
. packaging/deb.sh

install -D -m 0755 "$bin" "$root/usr/bin/canale"
# Catena operators know /opt/canale/bin; the binary itself lives in /usr/bin.
install -d "$root/opt/canale/bin"
ln -s /usr/bin/canale "$root/opt/canale/bin/canale"
install -m 0755 packaging/setup "$root/opt/canale/bin/setup"
install -D -m 0644 packaging/canale.service "$root/lib/systemd/system/canale.service"
install -D -m 0640 packaging/canale.env "$root/etc/canale/canale.env"
install -D -m 0644 packaging/canale.lintian-overrides "$root/usr/share/lintian/overrides/canale"
MANPAGES=canale.1 deb_docs "$root" canale "$version"

install -d "$root/DEBIAN"
for s in postinst prerm postrm; do install -m 0755 "packaging/$s" "$root/DEBIAN/$s"; done
echo /etc/canale/canale.env >"$root/DEBIAN/conffiles"
cat >"$root/DEBIAN/control" <<CONTROL
Package: canale
Version: $version
Architecture: $arch
Maintainer: Canale developers <dev@canale.invalid>
Installed-Size: 0
Depends: adduser, postgresql (>= 13) | postgresql-client
Section: video
Priority: optional
Homepage: https://github.com/canale-iptv/canale
Description: IPTV middleware for Flussonic Media Servers
 Canale manages channels, streamers, packages and subscribers, authorizes
 every play request of the streamers, balances viewers among edges and serves
 the customer portal, M3U/XMLTV playlists and an Xtream-Codes-compatible API.
 .
 The package runs it as the canale system user from canale.service, with
 its embedded PostgreSQL cluster in /var/lib/canale unless
 CANALE_DATABASE_URL in /etc/canale/canale.env names another database.
CONTROL
mkdir -p "$out"
deb_build "$root" "$out/canale_${version}_${arch}.deb"
