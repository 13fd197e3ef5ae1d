package playauth

import (
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"canale/server/internal/httpserver"

	"github.com/gin-gonic/gin"
)

// Register mounts the streamer-facing endpoints on r (the engine's root).
func (s *Service) Register(r *gin.RouterGroup) {
	fl := r.Group("/flussonic/:secret", s.RequireSecret)
	fl.GET("/auth", s.handleFlussonic(KindPlay))
	fl.POST("/auth", s.handleFlussonic(KindPublish))
	for _, m := range []string{http.MethodGet, http.MethodPost} {
		fl.Handle(m, "/on_play", s.handleFlussonic(KindPlay))
		fl.Handle(m, "/on_publish", s.handleFlussonic(KindPublish))
	}
	ng := r.Group("/nginx/:secret", s.RequireSecret)
	ng.GET("/auth", s.handleNginxAuth)
	ng.POST("/on_play", s.handleRTMP(KindPlay))
	ng.POST("/on_publish", s.handleRTMP(KindPublish))
	ng.POST("/on_update", s.handleRTMPUpdate)
	ng.POST("/on_play_done", s.handleRTMPDone)
	ng.POST("/on_done", s.handleRTMPDone)
}

// RequireSecret answers 404 unless the :secret path parameter is the
// installation's streamer secret: to anyone else these endpoints do not
// exist. Every streamer-facing route (config_external too) goes through it,
// so a wrong secret gets one answer everywhere.
func (s *Service) RequireSecret(c *gin.Context) {
	want := s.Catalog.Settings().StreamerSecret
	if want == "" || subtle.ConstantTimeCompare([]byte(c.Param("secret")), []byte(want)) != 1 {
		c.AbortWithStatus(http.StatusNotFound)
	}
}

// handleFlussonic reads the request from the query (GET), a JSON body or a
// form body (POST); kind is the default, and a POST to /auth is a publish.
func (s *Service) handleFlussonic(kind Kind) gin.HandlerFunc {
	return func(c *gin.Context) {
		r, ok := parseFlussonic(c, kind)
		if !ok {
			s.respond(c, Decision{AuthDuration: s.Catalog.Settings().AuthDuration, Reason: ReasonBadRequest})
			return
		}
		r.Peer = httpserver.ClientIP(c) // the streamer; behind a trusted proxy, what the proxy saw
		s.respond(c, s.Authorize(c.Request.Context(), r))
	}
}

func parseFlussonic(c *gin.Context, kind Kind) (Request, bool) {
	if c.Request.Method == http.MethodGet {
		return requestFromQuery(kind, c.Request.URL.RawQuery), true
	}
	if strings.HasPrefix(c.ContentType(), "application/x-www-form-urlencoded") {
		if err := c.Request.ParseForm(); err != nil {
			return Request{}, false
		}
		return requestFromValues(kind, c.Request.Form), true
	}
	r, err := requestFromJSON(kind, c.Request.Body)
	if err != nil {
		return Request{}, false
	}
	return r, true
}

// errorBody is the 403 body of specs/flussonic.md §1.5.
type errorBody struct {
	Errors []errorItem `json:"errors"`
}

type errorItem struct {
	Status string `json:"status"`
	Code   string `json:"code"`
	Title  string `json:"title"`
}

// dvrRange is one entry of allowed_dvr_ranges (UTC seconds).
type dvrRange struct {
	OpenedAt int64 `json:"opened_at"`
	ClosedAt int64 `json:"closed_at"`
}

type allowBody struct {
	AllowedDVRRanges []dvrRange `json:"allowed_dvr_ranges"`
}

// respond writes a decision: 200 with headers (and the DVR window for
// archive sessions), or 403 with the reason. X-AuthDuration goes on both, so
// a streamer re-asks about a refusal no sooner than about an allowance.
func (s *Service) respond(c *gin.Context, d Decision) {
	// Header keys are written in canonical form straight into the map:
	// Header.Set canonicalises each key on every call, and this is the
	// answer every viewer of every streamer waits for.
	// The three values share one backing array: one allocation, not three.
	h := c.Writer.Header()
	h["X-Authduration"] = authDurationValue(d.AuthDuration)
	if !d.Allow {
		// Written by hand: c.Data boxes a renderer and makes the
		// Content-Type slice on every refusal.
		h["Content-Type"] = jsonContentType
		c.Status(http.StatusForbidden)
		_, _ = c.Writer.Write(refusalBody(d.Reason))
		return
	}
	if d.HasSubscriber {
		u := new(userHeaders)
		h["X-Userid"], h["X-Max-Sessions"] = u.set(d.Subscriber.ID, d.Subscriber.MaxSessions)
	}
	if d.DVRTo != 0 {
		c.JSON(http.StatusOK, allowBody{AllowedDVRRanges: []dvrRange{{OpenedAt: d.DVRFrom, ClosedAt: d.DVRTo}}})
		return
	}
	c.Status(http.StatusOK)
}

// userHeaders holds the X-UserId and X-Max-Sessions values of an allowed
// check and the digits they are made of, so the two take one allocation
// instead of three.
type userHeaders struct {
	vals [2]string
	buf  [40]byte // two int64s in decimal
}

func (u *userHeaders) set(id int64, maxSessions int) (userID, max []string) {
	b := strconv.AppendInt(u.buf[:0], id, 10)
	n := len(b)
	b = strconv.AppendInt(b, int64(maxSessions), 10)
	// The strings point into buf, written once here and never again: the
	// header map keeps u, and so buf, alive as long as they are read.
	u.vals[0], u.vals[1] = unsafe.String(&b[0], n), unsafe.String(&b[n], len(b)-n)
	return u.vals[0:1:1], u.vals[1:2:2]
}

// jsonContentType is the Content-Type of a refusal, shared by every answer
// as gin shares its own: net/http only reads header values, and a slice
// full to its capacity is copied by anyone appending to it.
var jsonContentType = []string{"application/json; charset=utf-8"}

// authDurations caches the X-AuthDuration value of the duration in force
// (settings change it, rarely), so an answer does not format it again.
var authDurations atomic.Pointer[authDuration]

type authDuration struct {
	d   time.Duration
	val []string // shared: see jsonContentType
}

func authDurationValue(d time.Duration) []string {
	if c := authDurations.Load(); c != nil && c.d == d {
		return c.val
	}
	c := &authDuration{d: d, val: []string{strconv.FormatInt(int64(d/time.Second), 10)}}
	authDurations.Store(c)
	return c.val
}

// refusals caches the 403 body of each reason: the set is fixed, and a
// refused restreamer may ask many times a second.
var refusals sync.Map // Reason -> []byte

func refusalBody(r Reason) []byte {
	if b, ok := refusals.Load(r); ok {
		return b.([]byte)
	}
	b, _ := json.Marshal(errorBody{Errors: []errorItem{{Status: "403", Code: string(r), Title: r.Title()}}})
	refusals.Store(r, b)
	return b
}
