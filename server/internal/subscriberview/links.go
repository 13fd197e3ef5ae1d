package subscriberview

import (
	"net/http"
	"strconv"
	"strings"

	"canale/server/internal/playlist"
	"canale/shared/api"
)

// Links builds the absolute URLs subscribers' players fetch.
type Links struct {
	// Base is Canale's external URL, e.g. "https://tv.example.net".
	Base string
	// StreamBase is where live and catch-up URLs point; "" means Base, whose
	// /{channel}/… paths the balancer redirects to an edge.
	StreamBase string
}

// LinksFor returns the links of a request: the configured external URL when
// there is one, else the scheme and host the request came in on.
func LinksFor(r *http.Request, externalURL, streamBase string) Links {
	base := strings.TrimRight(externalURL, "/")
	if base == "" {
		base = RequestScheme(r) + "://" + r.Host
	}
	return Links{Base: base, StreamBase: strings.TrimRight(streamBase, "/")}
}

// RequestScheme is "https" when the request came over TLS or through a proxy
// that says so in X-Forwarded-Proto, else "http". The engine (httpserver)
// drops an X-Forwarded-Proto that did not come from a trusted proxy.
func RequestScheme(r *http.Request) string {
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		return "https"
	}
	return "http"
}

// For returns the links of sub: on its reseller's DNS when it has one,
// stream URLs included unless they go to a separate stream base.
func (l Links) For(sub Subscriber) Links {
	if sub.LinkBase != "" {
		l.Base = sub.LinkBase
	}
	return l
}

// OnResellerDNS returns the links of a customer of a reseller whose DNS is
// dns (api.ResellerLinkBase decides), for surfaces that hold the
// reseller's rules rather than a Subscriber.
func (l Links) OnResellerDNS(dns string) Links {
	return l.For(Subscriber{LinkBase: api.ResellerLinkBase(dns)})
}

func (l Links) streamBase() string {
	if l.StreamBase != "" {
		return l.StreamBase
	}
	return l.Base
}

// Live returns the live URL and the catch-up template of ch for token.
func (l Links) Live(ch Channel, token string, f playlist.Format) (live, catchup string) {
	return playlist.FlussonicURLs(l.streamBase(), ch.Name, token, f)
}

// Stream returns the URL of any path of ch's stream (e.g. "archive-FROM-DUR.ts").
func (l Links) Stream(ch Channel, file, token string) string {
	live, _ := playlist.FlussonicURLs(l.streamBase(), ch.Name, token, playlist.FormatTS)
	return strings.Replace(live, "/mpegts?", "/"+file+"?", 1)
}

// Logo returns ch's logo URL on Canale, "" when it has none.
func (l Links) Logo(ch Channel) string {
	if !ch.HasLogo && ch.LogoURL == "" {
		return ""
	}
	return l.Base + "/logos/" + strconv.FormatInt(ch.ID, 10)
}

// PlaylistChannels converts a lineup's channels for the playlist writers.
func (l Links) PlaylistChannels(lineup Lineup, token string, f playlist.Format) []playlist.Channel {
	out := make([]playlist.Channel, len(lineup.Channels))
	for i, ch := range lineup.Channels {
		live, catchup := l.Live(ch, token, f)
		if ch.DVRDays == 0 {
			catchup = ""
		}
		out[i] = playlist.Channel{ID: ch.ID, Name: ch.Name, Title: ch.Title, Number: ch.Number,
			Category: lineup.CategoryName(ch.CategoryID), LogoURL: l.Logo(ch), EPGID: ch.EPGChannelID,
			DVRDays: ch.DVRDays, StreamURL: live, CatchupSource: catchup}
	}
	return out
}
