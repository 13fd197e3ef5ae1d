#!/bin/sh
# portal-shot.sh: screenshots of the customer portal against `canale demo`
# in headless Chromium at 390 px, 1366x768 and 1920x1080 (a few pages in
# Russian and Arabic too), for reviewing the portal without a display;
# writes bin/portal-shots/*.png. Every process it starts is stopped on exit.
set -eu
BIN=${BIN:-bin}
GO=${GO:-go}
SHOTS=$BIN/portal-shots
ADDR=${SHOT_HTTP_ADDR:-127.0.0.1:18081}
WORK=$(mktemp -d)
chmod 755 "$WORK" # the embedded PostgreSQL runs as postgres and must enter it
mkdir -p "$SHOTS"
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	for p in $pids; do wait "$p" 2>/dev/null || true; done
	rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

CANALE_HTTP_ADDR=$ADDR CANALE_DATA_DIR=$WORK/data "$BIN/canale" demo >"$WORK/demo.out" 2>"$WORK/demo.err" &
pids="$pids $!"
i=0
until grep -q '^subscriber_password:' "$WORK/demo.out" 2>/dev/null; do
	i=$((i + 1))
	if [ $i -gt 120 ]; then echo "portal-shot: the demo did not start:"; cat "$WORK/demo.err"; exit 1; fi
	sleep 0.5
done
PASSWORD=$(sed -n 's/^subscriber_password: //p' "$WORK/demo.out")
# The demo's simulators and guide need a moment before now/next fill in.
sleep "${SHOT_WAIT:-5}"
"$GO" run ./server/internal/testbrowser/portalshot -url "http://$ADDR" -login demo -password "$PASSWORD" -out "$SHOTS"
echo "portal-shot: screenshots in $SHOTS"
ls "$SHOTS" | wc -l
