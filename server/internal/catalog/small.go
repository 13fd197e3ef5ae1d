package catalog

import (
	"encoding/json"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"

	"canale/server/internal/store"
	"canale/shared/api"
)

// DefaultAuthDuration is X-AuthDuration when settings name none.
const DefaultAuthDuration = 60 * time.Second

// small is an immutable snapshot of every table but subscribers.
type small struct {
	channels       []*Channel
	channelsByName map[string]*Channel
	channelsByID   map[int64]*Channel
	categories     []Category
	vod            []*VOD
	vodByID        map[int64]*VOD
	packages       []*Package
	packagesByID   map[int64]*Package
	freePackages   []*Package
	resellers      map[int64]Reseller
	streamers      []*Streamer
	settings       Settings
	epoch          int64 // store.ReadCatalog.SubscribersEpoch
	series         seriesIndex
	onDemand       map[string][]OnDemand // stream name -> movies and episodes
}

func newSmall(c store.ReadCatalog) *small {
	m := &small{
		channelsByName: make(map[string]*Channel, len(c.Channels)),
		channelsByID:   make(map[int64]*Channel, len(c.Channels)),
		vodByID:        make(map[int64]*VOD, len(c.VOD)),
		packagesByID:   make(map[int64]*Package, len(c.Packages)),
		resellers:      make(map[int64]Reseller, len(c.Resellers)),
		settings:       newSettings(c.Settings),
		epoch:          c.SubscribersEpoch,
	}
	for _, r := range c.Channels {
		ch := newChannel(r)
		m.channels = append(m.channels, ch)
		m.channelsByName[ch.Name] = ch
		m.channelsByID[ch.ID] = ch
	}
	m.categories = append(m.categories, c.Categories...)
	for _, r := range c.VOD {
		v := r
		m.vod = append(m.vod, &v)
		m.vodByID[v.ID] = &v
	}
	for _, r := range c.Packages {
		p := newPackage(r)
		m.packages = append(m.packages, p)
		m.packagesByID[p.ID] = p
		if p.Free {
			m.freePackages = append(m.freePackages, p)
		}
	}
	m.series = newSeriesIndex(c.Series)
	m.onDemand = newOnDemandIndex(m.vod, m.series)
	m.indexEntitlements()
	for _, r := range c.Resellers {
		m.resellers[r.ID] = Reseller{ID: r.ID, ParentID: r.ParentID, Active: r.Status == "active", LinkBase: api.ResellerLinkBase(r.DNS)}
	}
	for _, r := range c.Streamers {
		m.streamers = append(m.streamers, newStreamer(r))
	}
	return m
}

func newChannel(r store.ReadChannel) *Channel {
	return &Channel{ReadChannel: r}
}

// indexEntitlements notes on each channel the packages that hold it.
func (m *small) indexEntitlements() {
	for _, p := range m.packages {
		for _, id := range p.ChannelIDs {
			ch, ok := m.channelsByID[id]
			switch {
			case !ok:
			case p.Free:
				ch.inFreePackage = true
			default:
				ch.packages = append(ch.packages, p.ID)
			}
		}
	}
	for _, ch := range m.channels {
		slices.Sort(ch.packages)
		ch.packages = slices.Compact(ch.packages)
	}
}

func newPackage(r store.ReadPackage) *Package {
	p := &Package{ReadPackage: r, channels: make(map[int64]struct{}, len(r.ChannelIDs)), vod: make(map[int64]struct{}, len(r.VODIDs))}
	for _, id := range r.ChannelIDs {
		p.channels[id] = struct{}{}
	}
	for _, id := range r.VODIDs {
		p.vod[id] = struct{}{}
	}
	return p
}

func newStreamer(r store.ReadStreamer) *Streamer {
	s := &Streamer{ReadStreamer: r}
	for _, raw := range []string{r.APIURL, r.PublicURL} {
		if u, err := url.Parse(raw); err == nil && u.Hostname() != "" {
			s.Hosts = append(s.Hosts, u.Hostname())
		}
	}
	return s
}

// newSettings parses the keys of settings.data that the hot paths use;
// values of the wrong type fall back to the defaults.
func newSettings(r store.ReadSettings) Settings {
	s := Settings{ExternalURL: r.ExternalURL, StreamerSecret: r.StreamerSecret,
		AuthDuration: DefaultAuthDuration, SessionPolicy: PolicyRefuseNewest}
	_ = json.Unmarshal(r.Data, &s.Data)
	if v, ok := s.Data["auth_duration_s"].(float64); ok && v >= 1 {
		s.AuthDuration = time.Duration(v) * time.Second
	}
	if v, _ := s.Data["session_policy"].(string); v == PolicyEndOldest {
		s.SessionPolicy = PolicyEndOldest
	}
	s.PublishKey, _ = s.Data["publish_key"].(string)
	return s
}

// streamerByHost finds the registered streamer whose URLs name host (an IP
// or a hostname as the request carries it).
func (m *small) streamerByHost(host string) (*Streamer, bool) {
	if host == "" {
		return nil, false
	}
	// Only a host with a colon may carry a port; SplitHostPort would make
	// an error value for every bare address, and a refused play check asks
	// twice.
	if strings.IndexByte(host, ':') >= 0 {
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
	}
	for _, s := range m.streamers {
		for _, h := range s.Hosts {
			if h == host {
				return s, true
			}
		}
	}
	return nil, false
}
