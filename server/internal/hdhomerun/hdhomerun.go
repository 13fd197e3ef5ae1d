// Package hdhomerun serves each subscriber's virtual HDHomeRun network tuner
// (spec hdhomerun.md), so media servers that accept SiliconDust tuners
// (Plex, Jellyfin, Emby, Channels DVR) show the subscriber's channels:
// discover.json, lineup.json, lineup_status.json, lineup.post, device.xml,
// an XMLTV guide keyed by GuideNumber, and /auto/v<GuideNumber> streams.
//
// Every URL lives under /hdhr/<tuner token>. The tuner token is the
// subscriber's own (subscribers.tuner_token, 256 bits) and not the playback
// token: the HDHomeRun protocol has no authentication, so the path is the
// secret, and resetting it cuts off the media servers alone.
//
// Streams are relayed, not redirected: the handler picks an edge through
// the balancer, reads the channel's HLS there with the subscriber's
// playback token (so the edge's auth call is answered by the normal play
// authorization: packages, expiry, bans, the session limit) and writes the
// segments as one MPEG-TS stream. Media servers want TS from a tuner, fast;
// relaying also keeps the playback token away from the media server.
package hdhomerun

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"canale/server/internal/playlist"
	"canale/server/internal/subscriberview"
	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// Prefix is where the tuners are mounted on the main listener.
const Prefix = "/hdhr"

// UnlimitedTuners is the TunerCount of a subscriber without a session limit:
// media servers schedule recordings against the count, so it must be a number.
const UnlimitedTuners = 4

// Tuners finds the subscriber a tuner token belongs to; *store.Store is one.
type Tuners interface {
	SubscriberIDByTunerToken(ctx context.Context, token string) (int64, error)
}

// Directory reads subscribers and their line-ups from the read model.
type Directory interface {
	SubscriberByID(ctx context.Context, id int64) (subscriberview.Subscriber, error)
	Lineup(ctx context.Context, sub subscriberview.Subscriber) (subscriberview.Lineup, error)
	// PackageChannels returns the channels of one package the subscriber
	// may watch, for a per-package tuner; CodeNotFound when they may not.
	PackageChannels(ctx context.Context, sub subscriberview.Subscriber, packageID int64) ([]int64, error)
}

// Locator picks the edge for a playback path; *balancer.Balancer is one.
type Locator interface {
	Locate(path, rawQuery string) (string, int)
}

// Deps are the tuner surface's dependencies.
type Deps struct {
	Tuners    Tuners
	Directory Directory
	Guide     subscriberview.Guide // nil: an empty guide
	Locator   Locator
	Logger    *slog.Logger
	// ExternalURL returns Canale's external URL; "" (or a nil func) derives
	// it from each request.
	ExternalURL func() string
	// Client fetches the edge's HLS; nil uses a client without a total
	// timeout (a stream lasts as long as the media server watches).
	Client *http.Client
	Now    func() time.Time
}

// Server is the tuner surface.
type Server struct {
	deps Deps
	// writeTimeout is how long one write to a media server may block
	// (requestTimeout; tests shorten it), see deadlineWriter.
	writeTimeout time.Duration
}

// New returns the surface.
func New(d Deps) *Server {
	if d.Guide == nil {
		d.Guide = subscriberview.MemGuide(nil)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.ExternalURL == nil {
		d.ExternalURL = func() string { return "" }
	}
	if d.Client == nil {
		d.Client = &http.Client{Transport: &http.Transport{ResponseHeaderTimeout: 5 * time.Second,
			MaxIdleConnsPerHost: 8}}
	}
	return &Server{deps: d, writeTimeout: requestTimeout}
}

// Register mounts the routes on r, the Prefix group.
// Every route is served twice: for the subscriber's whole line-up, and
// under /p/<package id> for one of their packages alone (see PackageURL).
func (s *Server) Register(r *gin.RouterGroup) {
	for _, at := range []string{"/:token", "/:token/p/:package"} {
		r.GET(at+"/discover.json", s.handleDiscover)
		r.GET(at+"/lineup.json", s.handleLineup)
		r.GET(at+"/lineup_status.json", s.handleLineupStatus)
		r.GET(at+"/lineup.post", s.handleLineupPost)
		r.POST(at+"/lineup.post", s.handleLineupPost)
		r.GET(at+"/device.xml", s.handleDeviceXML)
		r.GET(at+"/xmltv.xml", s.handleXMLTV)
		r.GET(at+"/xmltv.xml.gz", s.handleXMLTV)
		r.GET(at+"/auto/:channel", s.handleStream)
	}
}

// BaseURL is the tuner's base URL under base (Canale's external URL), the
// address a subscriber types into a media server.
func BaseURL(base, token string) string {
	return strings.TrimRight(base, "/") + Prefix + "/" + token
}

// PackageURL is the base URL of the subscriber's tuner for one package
// alone: a household can add, say, its sports package to one media server
// and the rest to another. It is a different device to media servers
// (its own DeviceID), under the same secret token.
func PackageURL(base, token string, packageID int64) string {
	return BaseURL(base, token) + "/p/" + strconv.FormatInt(packageID, 10)
}

// device is one resolved tuner.
type device struct {
	token string
	id    string // what DeviceID and the UDN derive from: the token, plus the package of a per-package tuner
	sub   subscriberview.Subscriber
	site  string         // Canale's external URL
	base  string         // BaseURL or PackageURL
	only  map[int64]bool // a per-package tuner's channels; nil for the whole line-up
}

// resolve finds the tuner of the request's token and checks the account may
// watch, answering the request when it cannot. An unknown (or reset) token
// gets a bare 404, the same as any path that is not a tuner.
func (s *Server) resolve(c *gin.Context) (device, bool) {
	token := c.Param("token")
	id, err := s.deps.Tuners.SubscriberIDByTunerToken(c, token)
	if err == nil {
		var sub subscriberview.Subscriber
		if sub, err = s.deps.Directory.SubscriberByID(c, id); err == nil {
			site := subscriberview.LinksFor(c.Request, s.deps.ExternalURL(), "").Base
			d := device{token: token, id: token, sub: sub, site: site, base: BaseURL(site, token)}
			if d, err = s.scope(c, d); err == nil {
				return s.checkAccess(c, d)
			}
		}
	}
	if api.ErrorCode(err) == api.CodeNotFound {
		c.String(http.StatusNotFound, "unknown tuner\n")
	} else {
		s.deps.Logger.ErrorContext(c, "find tuner", "error", err)
		c.String(http.StatusServiceUnavailable, "temporarily unavailable\n")
	}
	return device{}, false
}

// scope narrows d to the package named in the path, if any: one the
// subscriber may watch, else CodeNotFound (a bare 404, as for an unknown
// token, so the path tells nothing about other packages).
func (s *Server) scope(c *gin.Context, d device) (device, error) {
	raw := c.Param("package")
	if raw == "" {
		return d, nil
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return d, api.Errorf(api.CodeNotFound, "no such package")
	}
	ids, err := s.deps.Directory.PackageChannels(c, d.sub, id)
	if err != nil {
		return d, err
	}
	d.only = make(map[int64]bool, len(ids))
	for _, ch := range ids {
		d.only[ch] = true
	}
	d.id, d.base = packageKey(d.token, id), PackageURL(d.site, d.token, id)
	return d, nil
}

func (s *Server) checkAccess(c *gin.Context, d device) (device, bool) {
	switch d.sub.Access(s.deps.Now()) {
	case subscriberview.AccessActive:
		return d, true
	case subscriberview.AccessExpired:
		c.String(http.StatusForbidden, "subscription expired\n")
	default:
		c.String(http.StatusForbidden, "account disabled\n")
	}
	return d, false
}

// Discover is the body of discover.json (spec §1.1). TunerCount is a
// number and every other field a string, as strict clients type them.
type Discover struct {
	FriendlyName    string
	Manufacturer    string
	ModelNumber     string
	FirmwareName    string
	FirmwareVersion string
	DeviceID        string
	DeviceAuth      string
	BaseURL         string
	LineupURL       string
	TunerCount      int
}

func (d device) discover() Discover {
	name := d.sub.Name
	if name == "" {
		name = d.sub.Login
	}
	return Discover{FriendlyName: "Canale " + name, Manufacturer: "Silicondust", ModelNumber: "HDTC-2US",
		FirmwareName: "hdhomeruntc_atsc", FirmwareVersion: "20200101", DeviceID: deviceIDText(d.id),
		DeviceAuth: "canale", BaseURL: d.base, LineupURL: d.base + "/lineup.json", TunerCount: tunerCount(d.sub.MaxSessions)}
}

// tunerCount is the TunerCount of a subscriber with that session limit.
func tunerCount(maxSessions int) int {
	if maxSessions > 0 {
		return maxSessions
	}
	return UnlimitedTuners
}

func (s *Server) handleDiscover(c *gin.Context) {
	d, ok := s.resolve(c)
	if !ok {
		return
	}
	writeJSON(c, d.discover())
}

// LineupEntry is one channel of lineup.json (spec §1.2). GuideNumber is a
// string: Threadfin crashes on a number and Jellyfin builds ids from it.
type LineupEntry struct {
	GuideNumber string
	GuideName   string
	URL         string
}

// tunedChannel is a line-up channel with its GuideNumber.
type tunedChannel struct {
	subscriberview.Channel
	number string
}

// resolveLineup resolves the tuner (see resolve) and its channels,
// numbered as every playlist numbers them (playlist.AssignNumbers), so
// GuideNumber equals tvg-chno.
func (s *Server) resolveLineup(c *gin.Context) (device, []tunedChannel, subscriberview.Lineup, bool) {
	d, ok := s.resolve(c)
	if !ok {
		return d, nil, subscriberview.Lineup{}, false
	}
	lineup, err := s.deps.Directory.Lineup(c, d.sub)
	if err != nil {
		s.deps.Logger.ErrorContext(c, "read lineup", "subscriber", d.sub.ID, "error", err)
		c.String(http.StatusServiceUnavailable, "temporarily unavailable\n")
		return d, nil, lineup, false
	}
	pl := make([]playlist.Channel, len(lineup.Channels))
	for i, ch := range lineup.Channels {
		pl[i] = playlist.Channel{ID: ch.ID, Number: ch.Number}
	}
	out := make([]tunedChannel, len(lineup.Channels))
	for i, n := range playlist.AssignNumbers(pl) {
		out[i] = tunedChannel{Channel: lineup.Channels[i], number: strconv.Itoa(n)}
	}
	if d.only != nil { // a per-package tuner: that package's channels alone, numbered as on the whole tuner
		out = slices.DeleteFunc(out, func(ch tunedChannel) bool { return !d.only[ch.ID] })
		lineup.Channels = slices.DeleteFunc(slices.Clone(lineup.Channels),
			func(ch subscriberview.Channel) bool { return !d.only[ch.ID] })
	}
	return d, out, lineup, true
}

func title(ch subscriberview.Channel) string {
	if ch.Title != "" {
		return ch.Title
	}
	return ch.Name
}

func (s *Server) handleLineup(c *gin.Context) {
	d, chs, _, ok := s.resolveLineup(c)
	if !ok {
		return
	}
	out := make([]LineupEntry, len(chs))
	for i, ch := range chs {
		out[i] = LineupEntry{GuideNumber: ch.number, GuideName: title(ch.Channel), URL: d.base + "/auto/v" + ch.number}
	}
	writeJSON(c, out)
}

// LineupStatus is the body of lineup_status.json: Canale never scans, its
// line-up is always complete (spec §1.3).
type LineupStatus struct {
	ScanInProgress int
	ScanPossible   int
	Source         string
	SourceList     []string
}

func (s *Server) handleLineupStatus(c *gin.Context) {
	if _, ok := s.resolve(c); !ok {
		return
	}
	writeJSON(c, LineupStatus{ScanInProgress: 0, ScanPossible: 1, Source: "Cable", SourceList: []string{"Cable"}})
}

// handleLineupPost accepts any scan or favourite command and changes
// nothing (spec §1.4): Plex's setup wizard starts a scan, and the line-up
// is already complete.
func (s *Server) handleLineupPost(c *gin.Context) {
	if _, ok := s.resolve(c); !ok {
		return
	}
	c.Status(http.StatusOK)
}

// deviceXML is the UPnP device description (spec §1.5).
type deviceXML struct {
	XMLName     xml.Name `xml:"urn:schemas-upnp-org:device-1-0 root"`
	SpecVersion struct {
		Major int `xml:"major"`
		Minor int `xml:"minor"`
	} `xml:"specVersion"`
	URLBase string `xml:"URLBase"`
	Device  struct {
		DeviceType   string `xml:"deviceType"`
		FriendlyName string `xml:"friendlyName"`
		Manufacturer string `xml:"manufacturer"`
		ModelName    string `xml:"modelName"`
		ModelNumber  string `xml:"modelNumber"`
		SerialNumber string `xml:"serialNumber"`
		UDN          string `xml:"UDN"`
	} `xml:"device"`
}

func (s *Server) handleDeviceXML(c *gin.Context) {
	d, ok := s.resolve(c)
	if !ok {
		return
	}
	disc := d.discover()
	var x deviceXML
	x.SpecVersion.Major = 1
	x.URLBase = d.base
	x.Device.DeviceType = "urn:schemas-upnp-org:device:MediaServer:1"
	x.Device.FriendlyName, x.Device.Manufacturer = disc.FriendlyName, disc.Manufacturer
	x.Device.ModelName, x.Device.ModelNumber = disc.ModelNumber, disc.ModelNumber
	x.Device.UDN = udn(d.id, disc.DeviceID)
	body, err := xml.MarshalIndent(x, "", "  ")
	if err != nil {
		c.String(http.StatusInternalServerError, "could not write the device description\n")
		return
	}
	c.Header("Cache-Control", "private, no-cache")
	c.Data(http.StatusOK, "application/xml; charset=utf-8", append([]byte(xml.Header), append(body, '\n')...))
}

// udn is a full UUID whose first group is the DeviceID, as telly builds it
// (a bare 8-digit id is reported as not enough for Plex); the rest comes
// from the token's hash, so it is stable per tuner.
func udn(token, deviceID string) string {
	sum := sha256.Sum256([]byte("udn:" + token))
	h := strings.ToUpper(hex.EncodeToString(sum[:12]))
	return "uuid:" + deviceID + "-" + h[0:4] + "-" + h[4:8] + "-" + h[8:12] + "-" + h[12:24]
}

// writeJSON answers v as compact JSON without HTML escaping: names such as
// "Alice & Bob" reach the media server as typed.
func writeJSON(c *gin.Context, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		c.String(http.StatusInternalServerError, "could not write the answer\n")
		return
	}
	c.Header("Cache-Control", "private, no-cache")
	c.Data(http.StatusOK, "application/json", bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}
