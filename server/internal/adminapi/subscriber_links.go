package adminapi

import (
	"net/http"

	"canale/server/internal/hdhomerun"
	"canale/server/internal/playlist"
	"canale/server/internal/subscriberapi"
	"canale/server/internal/subscriberview"
	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// renderSubscriber answers a subscriber, or err, with the links a billing
// system hands the subscriber.
func (a *API) renderSubscriber(c *gin.Context, status int, sub api.Subscriber, err error) {
	if err == nil {
		sub = withLinks(a.dnsLinks(c)(a.subscriberLinks(c), sub), sub)
	}
	a.reply(c, status, sub, err)
}

// subscriberLinks are the links of the external URL setting, or, while it is
// unset, of the address this request came in on, as the subscriber surfaces
// build theirs.
func (a *API) subscriberLinks(c *gin.Context) subscriberview.Links {
	external := a.ExternalURL
	if a.EffectiveExternalURL != nil {
		external = a.EffectiveExternalURL()
	}
	return subscriberview.LinksFor(c.Request, external, "")
}

// withLinks fills sub's playlist (HLS and MPEG-TS), guide, portal and tuner
// URLs with the same builders the portal shows its subscribers.
func withLinks(l subscriberview.Links, sub api.Subscriber) api.Subscriber {
	if sub.Token != "" {
		sub.PlaylistURL = subscriberapi.M3UURL(l, sub.Token, playlist.FormatHLS)
		sub.PlaylistTSURL = subscriberapi.M3UURL(l, sub.Token, playlist.FormatTS)
		sub.EPGURL = subscriberapi.EPGURL(l, sub.Token)
	}
	sub.PortalURL = l.Base + "/"
	if sub.TunerToken != "" {
		sub.TunerURL = hdhomerun.BaseURL(l.Base, sub.TunerToken)
		sub.Tuners = hdhomerun.TunerList(l.Base, sub.TunerToken, sub.PackageIDs)
	}
	return sub
}

// renderSubscriberPage answers a page of subscribers, each with its links.
func (a *API) renderSubscriberPage(c *gin.Context, page api.Page[api.Subscriber]) {
	l, dns := a.subscriberLinks(c), a.dnsLinks(c)
	for i := range page.Items {
		page.Items[i] = withLinks(dns(l, page.Items[i]), page.Items[i])
	}
	a.render(c, http.StatusOK, page)
}
