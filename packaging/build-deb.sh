#!/usr/bin/env bash
# Builds dist/canale_<version>_<arch>.deb from bin/canale with dpkg-deb (no
# extra tooling: nfpm's current releases cannot be installed from the Go proxy
# alone, see TOOLING.md §8).
set -euo pipefail
cd "$(dirname "$0")/.."
version=${VERSION:-dev}
version=${version#v}
case "$version" in [0-9]*) ;; *) version="0.0.0~$version" ;; esac
arch=$(dpkg --print-architecture)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
install -D -m 0755 bin/canale "$root/opt/canale/bin/canale"
install -D -m 0755 packaging/setup "$root/opt/canale/bin/setup"
install -D -m 0644 packaging/canale.service "$root/lib/systemd/system/canale.service"
install -D -m 0640 packaging/canale.env "$root/etc/canale/canale.env"
install -D -m 0755 packaging/postinst "$root/DEBIAN/postinst"
install -D -m 0755 packaging/prerm "$root/DEBIAN/prerm"
echo /etc/canale/canale.env > "$root/DEBIAN/conffiles"
cat > "$root/DEBIAN/control" <<CONTROL
Package: canale
Version: $version
Architecture: $arch
Maintainer: Canale developers <dev@canale.invalid>
Depends: adduser, postgresql (>= 13) | postgresql-client
Section: video
Priority: optional
Description: IPTV middleware for Flussonic Media Servers
 Canale manages channels, streamers, packages and subscribers, authorizes
 every play request of the streamers, balances viewers among edges and serves
 the customer portal, M3U/XMLTV playlists and an Xtream-Codes-compatible API.
CONTROL
mkdir -p dist
dpkg-deb --root-owner-group -Zxz --build "$root" "dist/canale_${version}_${arch}.deb" >/dev/null
echo "dist/canale_${version}_${arch}.deb"
