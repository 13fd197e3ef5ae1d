#!/bin/sh
# desktop-shot.sh: screenshots of canale-admin against `canale demo`, for
# reviewing the desktop screens without a display. Needs Xvfb, xdotool and
# ImageMagick's import; writes bin/shots/<screen>-<width>x<height>.png for
# every screen of the sidebar at each of SHOT_SIZES. Every process it starts
# is stopped on exit.
set -eu
BIN=${BIN:-bin}
SHOTS=$BIN/shots
ADDR=${SHOT_HTTP_ADDR:-127.0.0.1:18080}
DISPLAY_NUM=${SHOT_DISPLAY:-:97}
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
until grep -q '^password:' "$WORK/demo.out" 2>/dev/null; do
	i=$((i + 1))
	if [ $i -gt 120 ]; then echo "desktop-shot: the demo did not start:"; cat "$WORK/demo.err"; exit 1; fi
	sleep 0.5
done
PASSWORD=$(sed -n 's/^password: //p' "$WORK/demo.out")

Xvfb "$DISPLAY_NUM" -screen 0 1920x1080x24 -nolisten tcp >"$WORK/xvfb.log" 2>&1 &
pids="$pids $!"
export DISPLAY=$DISPLAY_NUM
i=0
until xdpyinfo >/dev/null 2>&1 || xdotool getmouselocation >/dev/null 2>&1; do
	i=$((i + 1)); [ $i -gt 40 ] && { echo "desktop-shot: Xvfb did not start"; exit 1; }
	sleep 0.25
done

# The demo's simulators need a few polls before charts have points.
CANALE_ADMIN_SERVER=http://$ADDR CANALE_ADMIN_LOGIN=admin CANALE_ADMIN_PASSWORD=$PASSWORD \
	"$BIN/canale-admin" >"$WORK/admin.log" 2>&1 &
pids="$pids $!"
i=0
until WID=$(xdotool search --name 'Canale NOC' 2>/dev/null | head -n 1) && [ -n "$WID" ]; do
	i=$((i + 1)); [ $i -gt 60 ] && { echo "desktop-shot: no window"; cat "$WORK/admin.log"; exit 1; }
	sleep 0.5
done
xdotool windowmove "$WID" 0 0 windowsize "$WID" 1280 800 windowfocus "$WID" || true
sleep "${SHOT_WAIT:-20}"
# The app's window title names the screen shown ("Canale NOC — Channels");
# Ctrl+Page Down steps to the next screen of the sidebar, wrapping around.
screen_name() {
	xdotool getwindowname "$WID" | sed 's/^Canale NOC — //; s/ ([0-9]*)$//' |
		tr 'A-Z ' 'a-z-' | tr -cd 'a-z0-9-'
}
for size in ${SHOT_SIZES:-1280x800 1920x1080}; do
	xdotool windowsize "$WID" "${size%x*}" "${size#*x}" windowfocus "$WID"
	sleep 2
	first=$(screen_name)
	n=0
	while :; do
		name=$(screen_name)
		import -window "$WID" "$SHOTS/$name-$size.png"
		got=$(identify -format '%wx%h' "$SHOTS/$name-$size.png")
		[ "$got" = "$size" ] || { echo "desktop-shot: $name is $got, not $size: the window did not fit"; exit 1; }
		xdotool key --clearmodifiers ctrl+Next
		sleep "${SHOT_STEP_WAIT:-2}"
		n=$((n + 1))
		[ "$(screen_name)" = "$first" ] && break
		[ $n -gt 40 ] && { echo "desktop-shot: the screens never came round to $first"; exit 1; }
	done
	echo "desktop-shot: $n screens at $size"
done
echo "desktop-shot: screenshots in $SHOTS"
ls -l "$SHOTS"
