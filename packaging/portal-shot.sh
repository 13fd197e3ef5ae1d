#!/bin/sh
# portal-shot.sh: screenshots of the customer portal against `canale demo`
# in headless Chromium at 390 px, 1366x768 and 1920x1080 (a few pages in
# Russian and Arabic too), for reviewing the portal without a display;
# writes bin/portal-shots/*.png. portalshot starts the demo and stops it.
set -eu
BIN=${BIN:-bin}
GO=${GO:-go}
"$GO" run ./server/internal/testbrowser/portalshot -canale "$BIN/canale" -addr "${SHOT_HTTP_ADDR:-127.0.0.1:18081}" \
	-out "$BIN/portal-shots"
echo "portal-shot: screenshots in $BIN/portal-shots"
