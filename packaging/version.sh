#!/bin/sh
# version.sh semver|deb|commit — Canale's version, derived from git.
#
# Releases are annotated tags vX.Y.Z (or vX.Y.Z-rc.N) on main. Between tags
# a build is X.Y.Z+git<commit date>.<commits since the tag>.<hash>, so it
# sorts after the tag and before the next one for dpkg as for SemVer; the
# count keeps two builds of the same day in order. Before the first tag the
# base is 0.1.0 (the untagged history), so the first tag must be above it.
# A build from a tree with uncommitted changes ends in .dirty. Without git
# (a source tarball) the version is 0.1.0+unknown unless VERSION is set.
# Run it from the top of the work tree.
#
# deb is the same as semver except that a pre-release's "-" becomes "~", so
# that dpkg sorts 0.2.0~rc.1 before 0.2.0 as SemVer does.
set -eu
what=${1:-semver}

commit=$(git rev-parse --short=7 HEAD 2>/dev/null || echo unknown)
dirty=
if [ "$commit" != unknown ] && ! git diff --quiet HEAD -- 2>/dev/null; then
	dirty=.dirty
fi
if [ -n "${VERSION:-}" ]; then
	semver=${VERSION#v}
else
	semver=0.1.0+unknown
	if [ "$commit" != unknown ]; then
		# --long always gives TAG-COUNT-gHASH, even on the tag itself.
		if desc=$(git describe --tags --long --match 'v[0-9]*' --abbrev=7 2>/dev/null); then
			base=${desc%-*-g*}
			count=${desc%-g*}
			count=${count##*-}
			base=${base#v}
		else
			base=0.1.0
			count=$(git rev-list --count HEAD)
		fi
		if [ "$count" = 0 ] && [ -z "$dirty" ]; then
			semver=$base
		else
			day=$(TZ=UTC git log -1 --format=%cd --date=format-local:%Y%m%d)
			semver=$base+git$day.$count.$commit$dirty
		fi
	fi
fi

case $what in
semver) echo "$semver" ;;
deb)
	# Only the pre-release part (before any "+") takes "~".
	main=${semver%%+*}
	rest=${semver#"$main"}
	case $main in *-*) main=$(echo "$main" | sed 's/-/~/') ;; esac
	echo "$main$rest"
	;;
commit) echo "$commit$dirty" ;;
*)
	echo "usage: $0 semver|deb|commit" >&2
	exit 2
	;;
esac
