package xtream

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
)

// bouquetDevice is one of XC's Enigma2 get.php templates (enigma2.md §2.2):
// the service type of live entries and of movies and episodes.
type bouquetDevice struct {
	live, onDemand string
}

// bouquetDevices are the get.php types that answer an Enigma2 bouquet.
// enigma16 and gigablue play everything with GStreamer (4097); dreambox
// plays live MPEG-TS with the DVB stack (1), which gives receivers their
// timeshift and recording, and on-demand files with GStreamer. enigma22 and
// e2 are taken as dreambox (enigma2.md §2.3).
var bouquetDevices = map[string]bouquetDevice{
	"enigma16": {"4097", "4097"},
	"gigablue": {"4097", "4097"},
	"dreambox": {"1", "4097"},
	"enigma22": {"1", "4097"},
	"e2":       {"1", "4097"},
}

// bouquetName is the #NAME of the downloaded bouquet: XC writes its server
// name there, Canale its own.
const bouquetName = "Canale"

// neutralSID is the middle of a service reference when a stream borrows no
// DVB service's guide (enigma2.md §2.4).
const neutralSID = ":0:1:0:0:0:0:0:0:0:"

// writeBouquet answers get.php with a userbouquet file (enigma2.md §2.3):
// #NAME, then per entry a #SERVICE line with the escaped stream URL and a
// #DESCRIPTION line with its name; CRLF endings and no empty line, because
// an LF-only empty line ends the bouquet on common images.
func (a *API) writeBouquet(c *gin.Context, r getPHPRequest, dev bouquetDevice) {
	var buf bytes.Buffer
	line := func(s string) { buf.WriteString(s + "\r\n") }
	line("#NAME " + bouquetName)
	entry := func(serviceType, streamURL, name string) {
		line("#SERVICE " + serviceType + neutralSID + escapeServicePath(streamURL))
		line("#DESCRIPTION " + bouquetText(name))
	}
	if r.kinds.live {
		live := dev.live
		if r.ext == "m3u8" {
			live = "4097" // the DVB stack plays MPEG-TS only
		}
		for _, ch := range r.s.lineup.Channels {
			entry(live, r.streamURL("live", ch.ID, r.ext), displayTitle(ch))
		}
	}
	for _, e := range r.onDemandEntries() {
		name := e.name
		if e.year > 0 {
			name += " (" + strconv.Itoa(e.year) + ")" // as XC_VM names movies in bouquets
		}
		entry(dev.onDemand, e.url, name)
	}
	c.Header("Content-Disposition", `attachment; filename="userbouquet.favourites.tv"`)
	c.Data(http.StatusOK, "application/octet-stream", buf.Bytes())
}

// escapeServicePath writes a URL as the path field of a service reference:
// "%" and ":" escaped (the reference is colon-separated; Enigma2 decodes
// %xx), and control bytes too, so no line can be split.
func escapeServicePath(u string) string {
	var b strings.Builder
	for i := 0; i < len(u); i++ {
		switch c := u[i]; {
		case c == '%':
			b.WriteString("%25")
		case c == ':':
			b.WriteString("%3a")
		case c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, "%%%02x", c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// bouquetText is a name on a #DESCRIPTION line: one line, no control bytes.
func bouquetText(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}
