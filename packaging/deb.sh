# deb.sh: what build-deb.sh and build-desktop-deb.sh share; sourced, not run.
# Both build with dpkg-deb alone (nfpm's current releases cannot be installed
# from the Go proxy, see TOOLING.md §8), from the top of the work tree, and
# take the same arguments: BINARY DEB_VERSION OUTDIR. The package's tree is
# laid out in $root, removed on exit.

umask 022
bin=$1 version=$2 out=$3
arch=$(dpkg --print-architecture)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

# deb_docs ROOT PACKAGE VERSION: the copyright file, the man pages named in
# MANPAGES, and the changelog. The version has no Debian revision (the
# package is native), so lintian wants changelog.gz, not changelog.Debian.gz.
deb_docs() {
	doc=$1/usr/share/doc/$2
	install -D -m 0644 packaging/copyright "$doc/copyright"
	deb_changelog "$2" "$3" | gzip -9n >"$doc/changelog.gz"
	chmod 0644 "$doc/changelog.gz"
	for m in ${MANPAGES:-}; do
		install -d "$1/usr/share/man/man1"
		gzip -9n <"packaging/$m" >"$1/usr/share/man/man1/$m.gz"
		chmod 0644 "$1/usr/share/man/man1/$m.gz"
	done
}

# deb_changelog PACKAGE VERSION prints a Debian changelog entry made of the
# first section of CHANGELOG.md, dated by the commit (so a rebuild of the
# same commit gives the same package).
deb_changelog() {
	date=$(git log -1 --format=%cD 2>/dev/null || date -R)
	printf '%s (%s) unstable; urgency=medium\n\n' "$1" "$2"
	awk '/^## /{n++; next} n==1 && /^- /{print "  * " substr($0, 3); next}
		n==1 && /^  [^ ]/{print "  " $0}' CHANGELOG.md
	printf '\n -- Canale developers <dev@canale.invalid>  %s\n' "$date"
}

# deb_build ROOT OUTFILE: md5sums, Installed-Size, then dpkg-deb.
deb_build() {
	(cd "$1" && find . -type f ! -path './DEBIAN/*' -printf '%P\0' | LC_ALL=C sort -z | xargs -0 md5sum >DEBIAN/md5sums)
	chmod 0644 "$1/DEBIAN/md5sums"
	size=$(du -sk --exclude=DEBIAN "$1" | cut -f1)
	sed -i "s/^Installed-Size: .*/Installed-Size: $size/" "$1/DEBIAN/control"
	chmod 0755 "$1"
	dpkg-deb --root-owner-group -Z"${DEB_COMPRESS:-xz}" --build "$1" "$2" >/dev/null
	echo "$2"
}
