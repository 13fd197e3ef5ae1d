package portal

import (
	"strconv"

	"canale/server/internal/hdhomerun"
	"canale/server/internal/subscriberview"

	"github.com/gin-gonic/gin"
)

// packageTuner is one package's own tuner on the playlists page: ID names
// its <code> for the copy button.
type packageTuner struct{ ID, Name, URL string }

// tunerLinks fills d's HDHomeRun tuner URL, which a media server takes, its
// guide, and one tuner per package the subscriber holds (by name, as the
// account page lists them). All stay empty when the portal has no Tuners
// or the lookup fails (logged: the rest of the page still helps).
func (p *Portal) tunerLinks(c *gin.Context, sub subscriberview.Subscriber, d *playlistsData) {
	if p.deps.Tuners == nil {
		return
	}
	token, err := p.deps.Tuners.TunerToken(c, sub.ID)
	if err != nil {
		p.deps.Logger.WarnContext(c, "find tuner", "subscriber", sub.ID, "error", err)
		return
	}
	pkgs, err := p.deps.Directory.Packages(c, sub)
	if err != nil {
		p.deps.Logger.WarnContext(c, "read packages for their tuners", "subscriber", sub.ID, "error", err)
	}
	d.Tuner = hdhomerun.BaseURL(d.Server, token)
	d.TunerGuide = d.Tuner + "/xmltv.xml"
	for _, pk := range pkgs {
		d.PackageTuners = append(d.PackageTuners, packageTuner{ID: "tuner-url-p" + strconv.FormatInt(pk.ID, 10),
			Name: pk.Name, URL: hdhomerun.PackageURL(d.Server, token, pk.ID)})
	}
}
