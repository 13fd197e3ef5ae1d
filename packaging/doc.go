// Package packaging holds the scripts and files that make Canale's
// packages (build-deb.sh, build-desktop-deb.sh, version.sh, the systemd unit
// and the maintainer scripts) and, in its tests, the checks that those
// packages are sound: the version derivation sorts as dpkg sorts, lintian
// accepts both .debs, the server package installs, upgrades, removes and
// purges on this machine, and the desktop app cross-compiles for Windows.
//
// The tests build with the Makefile's flags, so they reuse its Go build
// cache. Those that need root or a Debian tool skip with the reason, and
// fail under CI=true instead.
package packaging
