package fleet

import (
	"crypto/subtle"
	"net"
	"strings"

	"canale/server/internal/store"
	"canale/shared/api"
)

// StreamsFor answers config_external for the streamer that says it is host
// (the host or client_host parameter): the JSON body {"streams":[...]} with
// exactly the channels placed on it, all of them or only those in names
// when names is not nil. Errors: CodeForbidden for a wrong secret,
// CodeNotFound for a host that is no enabled streamer (or names several),
// CodeUnavailable while the catalog could not be read or no external URL
// is known (streams without on_play would be open to anyone).
func (m *Manager) StreamsFor(secret, host string, names []string) ([]byte, error) {
	v := m.view.Load()
	if v.cat == nil || v.loadErr != nil {
		return nil, api.Errorf(api.CodeUnavailable, "the catalog cannot be read now")
	}
	want := v.cat.Settings.StreamerSecret
	if want == "" || subtle.ConstantTimeCompare([]byte(secret), []byte(want)) != 1 {
		return nil, api.Errorf(api.CodeForbidden, "wrong streamer secret")
	}
	if v.authURL == "" {
		return nil, api.Errorf(api.CodeUnavailable, "external_url is not set, so streams cannot be given an on_play URL")
	}
	id, err := m.streamerAt(v, host)
	if err != nil {
		return nil, err
	}
	c := v.configs[id]
	if c == nil {
		c = emptyConfig
	}
	return c.renderStreams(names), nil
}

// streamerAt identifies a streamer by the host it sends: the host name of
// its api_url or public_url, or the hostname its API reported when polled
// (what Flussonic sends by default). A host:port form matches the URL's
// host:port exactly, so several streamers may share one address.
func (m *Manager) streamerAt(v *view, host string) (int64, error) {
	host = strings.ToLower(strings.TrimSpace(host))
	if host == "" {
		return 0, api.Errorf(api.CodeNotFound, "host is required")
	}
	if _, _, err := net.SplitHostPort(host); err == nil {
		for id, s := range v.streamers {
			if hostPort(s.APIURL) == host || hostPort(s.PublicURL) == host {
				return id, nil
			}
		}
	}
	ids := v.hosts[host]
	if len(ids) == 0 {
		for _, st := range m.poller.Snapshot().Streamers {
			if strings.EqualFold(st.Stats.Hostname, host) {
				if id := parseID(st.ID); id != 0 {
					if _, ok := v.streamers[id]; ok {
						ids = append(ids, id)
					}
				}
			}
		}
	}
	switch len(ids) {
	case 0:
		return 0, api.Errorf(api.CodeNotFound, "no enabled streamer has host %q", host)
	case 1:
		return ids[0], nil
	}
	return 0, api.Errorf(api.CodeNotFound, "several streamers have host %q; give each its own host name", host)
}

func hostPort(raw string) string {
	if i := strings.Index(raw, "://"); i >= 0 {
		raw = raw[i+3:]
	}
	if i := strings.IndexAny(raw, "/?#"); i >= 0 {
		raw = raw[:i]
	}
	return strings.ToLower(raw)
}

// Edge is a streamer a viewer may be sent to, with the figures balancing uses.
type Edge struct {
	StreamerID int64
	// URL is the streamer's public_url (its api_url when that is empty).
	URL string
	// Up is the streamer's health; StreamHealthy whether it reports the stream running and alive.
	Up, StreamHealthy  bool
	OutputKbps         int64
	Clients            int64
	BandwidthUsage     float64 // percent, as the streamer reports it
	BandwidthLimitKbps int64
}

// Edges returns the streamers of the last step of a channel's pipeline, and
// known=true, for a channel in Canale. For any other name it searches the
// autobalancer streamers that report a stream of that name (known=false).
func (m *Manager) Edges(name string) (edges []Edge, known bool) {
	v, snap := m.view.Load(), m.poller.Snapshot()
	ids, known := v.edges[name] // a placed channel: one lookup, on every redirect
	if !known {
		_, known = v.channels[name] // a channel on no pipeline
	}
	if known {
		for _, id := range ids {
			src, ok := v.sources[id]
			if !ok {
				src = edgeSource{key: idString(id), edge: baseEdge(v.streamers[id])}
			}
			edges = append(edges, withState(src.edge, snap.Streamers[src.key], name))
		}
		return edges, true
	}
	if v.cat == nil {
		return nil, false
	}
	if edges, ok := vodEdges(v, snap, name); ok {
		return edges, true
	}
	for _, s := range v.cat.Streamers {
		st := snap.Streamers[idString(s.ID)]
		if !s.Autobalancer || st == nil {
			continue
		}
		if _, ok := st.Streams[name]; ok {
			edges = append(edges, edgeOf(s, st, name))
		}
	}
	return edges, false
}

func edgeOf(s store.FleetStreamer, st *StreamerState, name string) Edge {
	return withState(baseEdge(s), st, name)
}

// edgeSource is what a view keeps of a streamer for Edges.
type edgeSource struct {
	key  string // the id as the poller's snapshot keys it
	edge Edge   // baseEdge
}

// baseEdge is the part of a streamer's Edge that the catalog gives.
func baseEdge(s store.FleetStreamer) Edge {
	e := Edge{StreamerID: s.ID, URL: s.PublicURL, BandwidthLimitKbps: s.BandwidthLimitKbps}
	if e.URL == "" {
		e.URL = s.APIURL
	}
	return e
}

// withState completes e with the streamer's last polled state st (nil:
// never polled) and the health of its stream name.
func withState(e Edge, st *StreamerState, name string) Edge {
	if st == nil {
		return e
	}
	e.Up = st.Up()
	e.StreamHealthy = st.Streams[name].Healthy()
	e.OutputKbps, e.Clients, e.BandwidthUsage = st.Stats.OutputKbps, st.Stats.Clients, st.Stats.BandwidthUsage
	return e
}

// BalanceMode is the balancing mode set in settings ("" when unset).
func (m *Manager) BalanceMode() string {
	if v := m.view.Load(); v.cat != nil {
		return v.cat.Settings.BalanceMode
	}
	return ""
}

// StreamerSecret is the path secret of the streamer-facing endpoints, ""
// before the catalog is loaded.
func (m *Manager) StreamerSecret() string {
	if v := m.view.Load(); v.cat != nil {
		return v.cat.Settings.StreamerSecret
	}
	return ""
}
