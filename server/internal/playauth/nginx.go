package playauth

import (
	"net/http"
	"net/url"
	"strings"

	"canale/server/internal/httpserver"

	"github.com/gin-gonic/gin"
)

// handleNginxAuth answers nginx's auth_request subrequest. nginx sends no
// session id, so one is derived per (token, client IP, stream): all the
// playlist and segment requests of one viewer of one stream are one session,
// and the same token on another stream or from another address is another.
func (s *Service) handleNginxAuth(c *gin.Context) {
	stream, token := parseOriginalURI(canonicalHeader(c, "X-Original-Uri"))
	// Here X-Real-IP is not a proxy's header but the protocol: the edge,
	// which proved itself with the secret in the path, names its viewer, as
	// Flussonic does with ip=. The edge's own address is c.ClientIP().
	peer := httpserver.ClientIP(c)
	ip := canonicalHeader(c, "X-Real-Ip")
	if ip == "" {
		ip = peer
	}
	r := Request{Kind: KindPlay, Name: stream, Token: token, IP: ip, Proto: "hls",
		UserAgent: c.Request.UserAgent(), Referer: c.Request.Referer(), Peer: peer}
	r.SessionID = derivedID("ngx", token, ip, stream)
	s.respond(c, s.Authorize(c.Request.Context(), r))
}

// canonicalHeader is the request header key names, which must be in the
// canonical form net/http stores: GetHeader would canonicalise
// "X-Original-URI" and "X-Real-IP" into new strings on every segment a
// viewer fetches.
func canonicalHeader(c *gin.Context, key string) string {
	if v := c.Request.Header[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// parseOriginalURI reads the stream and token from the forms the edge
// serves: /hls/{token}/{stream}/{file} and /{stream}/{file}?token=.
func parseOriginalURI(raw string) (stream, token string) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", ""
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(parts) >= 3 && parts[0] == "hls" {
		return parts[2], parts[1]
	}
	return parts[0], u.Query().Get("token")
}

// handleRTMP answers nginx-rtmp's on_play and on_publish POSTs. The module
// puts the player's URL query into the form (token=, key=), next to name,
// addr and clientid; one RTMP connection is one session.
func (s *Service) handleRTMP(kind Kind) gin.HandlerFunc {
	return func(c *gin.Context) {
		if r, _, ok := s.rtmpRequest(c, kind); ok {
			s.respond(c, s.Authorize(c.Request.Context(), r))
		}
	}
}

// handleRTMPUpdate answers on_update, which nginx-rtmp sends every
// notify_update_timeout for each player (call=update_play) and publisher
// (update_publish) of an application. A player's session is checked again,
// so a killed session or an expired subscriber is cut off here as on a
// Flussonic streamer. A publisher is let be: it was checked once, at
// on_publish, as Flussonic checks publishers, and an application may take
// its publishers' keys from somewhere other than Canale.
func (s *Service) handleRTMPUpdate(c *gin.Context) {
	r, f, ok := s.rtmpRequest(c, KindPlay)
	if !ok {
		return
	}
	if f.Get("call") == "update_publish" {
		c.Status(http.StatusOK)
		return
	}
	r.RequestType = "update_session"
	s.respond(c, s.Authorize(c.Request.Context(), r))
}

// handleRTMPDone answers on_play_done and on_done: the player has gone, so
// its session ends now rather than when its checks would have run out.
func (s *Service) handleRTMPDone(c *gin.Context) {
	r, f, ok := s.rtmpRequest(c, KindPlay)
	if !ok {
		return
	}
	if f.Get("call") != "publish_done" {
		s.endSession(c.Request.Context(), r.SessionID)
	}
	c.Status(http.StatusOK)
}

// rtmpRequest reads nginx-rtmp's form; on a malformed one it answers 403
// itself and reports false.
func (s *Service) rtmpRequest(c *gin.Context, kind Kind) (Request, url.Values, bool) {
	if err := c.Request.ParseForm(); err != nil {
		s.respond(c, Decision{AuthDuration: s.Catalog.Settings().AuthDuration, Reason: ReasonBadRequest})
		return Request{}, nil, false
	}
	f := c.Request.Form
	r := requestFromValues(kind, f)
	r.IP, r.Proto, r.Peer = f.Get("addr"), "rtmp", httpserver.ClientIP(c)
	r.UserAgent = f.Get("flashver")
	r.SessionID = derivedID("rtmp", r.Token, r.IP, f.Get("app")+"/"+r.Name, f.Get("clientid"))
	return r, f, true
}
