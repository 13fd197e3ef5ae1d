package cli

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log/slog"
	"net"
	"net/http"
	"time"

	"canale/server/internal/epgimport"
	"canale/server/internal/store"
	"canale/shared/api"
)

// demoChannel is one channel of the demo and what its guide and logo show.
type demoChannel struct {
	name, title, category string
	dvrDays               int // catch-up window; one channel has it, so catch-up shows
	colour                color.RGBA
	shows                 []string
}

var demoChannels = []demoChannel{
	{"news", "Canale News", "News", 1, color.RGBA{0xC6, 0x28, 0x28, 0xFF},
		[]string{"Morning Briefing", "World Desk", "Markets Today", "The Evening News", "Night Report", "Weather Hour"}},
	{"sport1", "Canale Sport", "Sports", 0, color.RGBA{0x2E, 0x7D, 0x32, 0xFF},
		[]string{"Matchday Live", "Goals of the Week", "Tennis Court", "Track and Field", "Sport Tonight"}},
	{"movies", "Canale Movies", "Movies", 0, color.RGBA{0x4A, 0x14, 0x8C, 0xFF},
		[]string{"Night Train", "Paper Moons", "The Long Harbour", "Silver Screen Classics", "Midnight Matinee"}},
	{"kids", "Canale Kids", "Kids", 0, color.RGBA{0xEF, 0x6C, 0x00, 0xFF},
		[]string{"Cartoon Club", "Tiny Planets", "Story Time", "Science Explorers", "Puppet Parade"}},
}

// demoLogo draws a channel's logo: its colour and a white "play" mark, a
// PNG made at start so the demo needs no image files and no network.
func demoLogo(c color.RGBA) []byte {
	const w, h = 160, 90
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	white := color.RGBA{0xFF, 0xFF, 0xFF, 0xFF}
	for y := range h {
		for x := range w {
			px := c
			dx, dy := x-w/2, y-h/2
			switch {
			case dx*dx+dy*dy <= 32*32 && inTriangle(dx, dy):
				px = c
			case dx*dx+dy*dy <= 32*32:
				px = white
			}
			img.SetRGBA(x, y, px)
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img) // cannot fail on an in-memory RGBA
	return b.Bytes()
}

// inTriangle is the play mark, pointing right, centred on the origin.
func inTriangle(dx, dy int) bool {
	if dx < -10 || dx > 16 {
		return false
	}
	half := (16 - dx) * 14 / 26
	return dy >= -half && dy <= half
}

// seedDemoLogos uploads each demo channel's logo once, so players and the
// portal load it from Canale's own /logos/ID.
func seedDemoLogos(ctx context.Context, s *store.Store, channels map[string]api.Channel) error {
	for _, dc := range demoChannels {
		ch, ok := channels[dc.name]
		if !ok || ch.HasLogo {
			continue
		}
		if _, err := s.SetChannelLogo(ctx, api.SystemActor("demo"), ch.ID, "image/png", demoLogo(dc.colour)); err != nil {
			return fmt.Errorf("demo logo of %s: %w", dc.name, err)
		}
	}
	return nil
}

// demoChannelsByName reads the seeded demo channels.
func demoChannelsByName(ctx context.Context, s *store.Store) (map[string]api.Channel, error) {
	page, err := s.FindChannels(ctx, api.ChannelFilter{}, api.ListParams{Limit: api.MaxLimit})
	if err != nil {
		return nil, err
	}
	out := map[string]api.Channel{}
	for _, ch := range page.Items {
		out[ch.Name] = ch
	}
	return out, nil
}

// demoGuideSpan is how far the generated guide reaches back and ahead:
// a day each way, so now/next, the guide page and a day of catch-up fill.
const demoGuideSpan = 24 * time.Hour

// xmltv is the generated guide's document.
type xmltv struct {
	XMLName    xml.Name         `xml:"tv"`
	Generator  string           `xml:"generator-info-name,attr"`
	Channels   []xmltvChannel   `xml:"channel"`
	Programmes []xmltvProgramme `xml:"programme"`
}

type xmltvChannel struct {
	ID   string `xml:"id,attr"`
	Name string `xml:"display-name"`
}

type xmltvProgramme struct {
	Start    string `xml:"start,attr"`
	Stop     string `xml:"stop,attr"`
	Channel  string `xml:"channel,attr"`
	Title    string `xml:"title"`
	Desc     string `xml:"desc"`
	Category string `xml:"category"`
}

// demoGuide writes an XMLTV guide for the demo channels around now: half-
// and whole-hour shows in turn from the channel's list. Each channel is
// named by the id its playlists use (tvg-id "ch<ID>"), so the imported
// guide joins them without an EPG channel id set by hand.
func demoGuide(channels map[string]api.Channel, now time.Time) xmltv {
	doc := xmltv{Generator: "canale demo"}
	const layout = "20060102150405 -0700"
	from := now.Add(-demoGuideSpan).UTC().Truncate(time.Hour)
	until := now.Add(demoGuideSpan)
	for ci, dc := range demoChannels {
		ch, ok := channels[dc.name]
		if !ok {
			continue
		}
		id := fmt.Sprintf("ch%d", ch.ID)
		doc.Channels = append(doc.Channels, xmltvChannel{ID: id, Name: dc.title})
		for i, start := 0, from; start.Before(until); i++ {
			length := time.Duration(30*(1+(i+ci)%2)) * time.Minute
			slot := start.Unix() / 1800 // the same show in the same slot on every import
			show := dc.shows[int(slot+int64(ci))%len(dc.shows)]
			doc.Programmes = append(doc.Programmes, xmltvProgramme{Start: start.Format(layout),
				Stop: start.Add(length).Format(layout), Channel: id, Title: show, Category: dc.category,
				Desc: fmt.Sprintf("%s on %s, a programme of the Canale demo.", show, dc.title)})
			start = start.Add(length)
		}
	}
	return doc
}

// demoGuideServer serves the generated guide on a loopback port, where the
// EPG importer fetches it as it would an operator's XMLTV source.
type demoGuideServer struct {
	srv *http.Server
	url string
}

func startDemoGuide(channels map[string]api.Channel, logger *slog.Logger) (*demoGuideServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("demo guide: %w", err)
	}
	srv := &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		w.Write([]byte(xml.Header))
		if err := xml.NewEncoder(w).Encode(demoGuide(channels, time.Now())); err != nil {
			logger.Warn("demo guide", "error", err)
		}
	})}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("demo guide server", "error", err)
		}
	}()
	return &demoGuideServer{srv: srv, url: "http://" + ln.Addr().String() + "/guide.xml"}, nil
}

func (g *demoGuideServer) Close() error { return g.srv.Close() }

// demoGuideSource is the name of the demo's EPG source.
const demoGuideSource = "Canale demo guide"

// importDemoGuide points the demo's EPG source at the guide server (its
// port changes with every run) and imports it through the real EPG path,
// so the portal, XC short EPG and Stalker EPG read it from the database.
func importDemoGuide(ctx context.Context, s *store.Store, guideURL string, logger *slog.Logger) (api.EPGDone, error) {
	actor := api.SystemActor("demo")
	have, err := s.FindEPGSources(ctx, api.EPGSourceFilter{}, api.ListParams{Query: demoGuideSource})
	if err != nil {
		return api.EPGDone{}, err
	}
	var id int64
	if len(have.Items) > 0 {
		src, yes := have.Items[0], true
		src, err = s.UpdateEPGSource(ctx, actor, src.ID, api.EPGSourceUpdate{URL: &guideURL, Enabled: &yes,
			AllowPrivateNetwork: &yes, Version: src.Version})
		id = src.ID
	} else {
		var src api.EPGSource
		src, err = s.CreateEPGSource(ctx, actor, api.EPGSource{Name: demoGuideSource, URL: guideURL, Enabled: true,
			IntervalHours: 6, DaysKeep: 2, AllowPrivateNetwork: true})
		id = src.ID
	}
	if err != nil {
		return api.EPGDone{}, fmt.Errorf("demo guide source: %w", err)
	}
	return epgimport.New(epgimport.Config{Store: s, Logger: logger}).Import(ctx, id)
}

// demoMaxSessions lets the demo subscriber watch in the portal, VLC and an
// XC app at once, as a newcomer trying them all will; the seed's two would
// refuse the third.
const demoMaxSessions = 5

func seedDemoSessions(ctx context.Context, s *store.Store) error {
	sub, err := s.FindSubscriberByLogin(ctx, "demo")
	if err != nil {
		return err
	}
	if sub.Subscriber.MaxSessions == demoMaxSessions {
		return nil
	}
	n := demoMaxSessions
	_, err = s.UpdateSubscriber(ctx, api.SystemActor("demo"), sub.Subscriber.ID,
		api.SubscriberUpdate{MaxSessions: &n, Version: sub.Subscriber.Version})
	return err
}

// demoVODLocation is the Flussonic VOD location the demo's movies and
// episodes name ("vod/demo/night-train.mp4"); the simulated edges serve it.
const demoVODLocation = "vod"

// seedDemoVODStorage tells the balancer which streamers serve the demo's
// VOD location, so a movie or an episode plays from an edge.
func seedDemoVODStorage(ctx context.Context, s *store.Store) error {
	set, err := s.FindSettings(ctx, api.SystemActor("demo"))
	if err != nil {
		return err
	}
	if _, ok := api.VODStorageOf(set.VODStorages, demoVODLocation+"/"); ok {
		return nil
	}
	storages := append(set.VODStorages, api.VODStorage{Prefix: demoVODLocation, Streamers: []string{"edge1", "edge2"}})
	_, err = s.UpdateSettings(ctx, api.SystemActor("demo"), api.SettingsUpdate{VODStorages: &storages, Version: set.Version})
	return err
}
