package xtream

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
)

// scriptDevices are the get.php types that answer XC's Enigma2 "auto
// script" (enigma2.md §2.6), with the bouquet type the script downloads.
var scriptDevices = map[string]string{
	"enigma22_script":  "dreambox",
	"enigma216_script": "enigma16",
}

// e2Script installs the bouquet on a receiver and refreshes it at every GUI
// start. It fixes what XC's script gets wrong: every value is single-quoted,
// the bouquet's file name is fixed, nothing is made world-writable, and
// enigma2_pre_start.sh, which other plugins use too, gets one marked line
// instead of being overwritten. E2_ROOT (empty on a receiver) lets the
// tests run it in a scratch directory.
const e2Script = `#!/bin/sh
# Canale bouquet for Enigma2: downloads it, lists it in bouquets.tv, runs
# again at every GUI start and reloads the bouquets.
URL=__URL__
DIR="${E2_ROOT:-}/etc/enigma2"
NAME='userbouquet.canale__tv_.tv'
if wget -q -O "$DIR/$NAME.new" "$URL"; then
	mv "$DIR/$NAME.new" "$DIR/$NAME"
else
	rm -f "$DIR/$NAME.new"
	echo "canale: could not download the bouquet" >&2
	exit 1
fi
[ -f "$DIR/bouquets.tv" ] || printf '#NAME User - bouquets (TV)\n' > "$DIR/bouquets.tv"
if ! grep -qF "\"$NAME\"" "$DIR/bouquets.tv"; then
	printf '#SERVICE 1:7:1:0:0:0:0:0:0:0:FROM BOUQUET "%s" ORDER BY bouquet\n' "$NAME" >> "$DIR/bouquets.tv"
fi
START="${E2_ROOT:-}/usr/bin/enigma2_pre_start.sh"
LINE="/bin/sh $DIR/iptv.sh # canale bouquet"
[ -f "$START" ] || printf '#!/bin/sh\n' > "$START"
grep -qF "$LINE" "$START" || echo "$LINE" >> "$START"
chmod 755 "$START"
wget -q -O /dev/null 'http://127.0.0.1/web/servicelistreload?mode=2' || true
`

// writeE2Script answers get.php?type=enigma22_script|enigma216_script with
// the install script for the bouquet of the same credentials and output.
func (a *API) writeE2Script(c *gin.Context, r getPHPRequest, device string) {
	q := url.Values{"username": {r.user}, "password": {r.pass}, "type": {device}, "output": {r.ext}}
	if k := param(c, "key"); k != "" {
		q.Set("key", k)
	}
	u := r.s.links.Base + "/get.php?" + q.Encode()
	c.Header("Content-Disposition", `attachment; filename="iptv.sh"`)
	c.Data(http.StatusOK, "text/plain; charset=utf-8", []byte(strings.Replace(e2Script, "__URL__", shellQuote(u), 1)))
}

// shellQuote single-quotes s for sh: nothing inside is expanded.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
