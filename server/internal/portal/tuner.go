package portal

import (
	"canale/server/internal/hdhomerun"

	"github.com/gin-gonic/gin"
)

// tunerLinks are the subscriber's HDHomeRun tuner URL, which a media server
// takes, and its guide; both "" when the portal has no Tuners or the lookup
// fails (logged: the rest of the page still helps).
func (p *Portal) tunerLinks(c *gin.Context, subscriberID int64, site string) (tuner, guide string) {
	if p.deps.Tuners == nil {
		return "", ""
	}
	token, err := p.deps.Tuners.TunerToken(c, subscriberID)
	if err != nil {
		p.deps.Logger.WarnContext(c, "find tuner", "subscriber", subscriberID, "error", err)
		return "", ""
	}
	base := hdhomerun.BaseURL(site, token)
	return base, base + "/xmltv.xml"
}
