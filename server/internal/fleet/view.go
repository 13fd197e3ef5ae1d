package fleet

import (
	"sort"
	"time"

	"canale/server/internal/store"
	"canale/shared/api"
)

// view is one immutable state of the Manager: the catalog it loaded, where
// channels run and what every streamer is told. Readers load it atomically.
type view struct {
	cat       *store.FleetCatalog
	streamers map[int64]store.FleetStreamer
	channels  map[string]store.FleetChannel
	pipelines map[int64]store.FleetPipeline
	placement placement
	// edges are the streamers of each channel's last step: where viewers go.
	edges   map[string][]int64
	configs map[int64]*streamerConfig
	// hosts maps the lower-cased host names of api_url and public_url to streamers.
	hosts map[string][]int64
	// sources are what Edges needs of each streamer, made once here
	// rather than on every balancer redirect: the id as the poller's
	// snapshot keys it, and the edge's fields from the catalog.
	sources  map[int64]edgeSource
	authURL  string
	loadedAt time.Time
	loadErr  error
}

func newView(cat *store.FleetCatalog, pl placement, authURL string) *view {
	v := &view{cat: cat, placement: pl, authURL: authURL, streamers: map[int64]store.FleetStreamer{},
		channels: map[string]store.FleetChannel{}, pipelines: map[int64]store.FleetPipeline{},
		edges: map[string][]int64{}, hosts: map[string][]int64{}, sources: map[int64]edgeSource{}}
	for _, s := range cat.Streamers {
		v.streamers[s.ID] = s
		v.sources[s.ID] = edgeSource{key: idString(s.ID), edge: baseEdge(s)}
		for _, h := range uniqueHosts(s) {
			v.hosts[h] = append(v.hosts[h], s.ID)
		}
	}
	for _, p := range cat.Pipelines {
		v.pipelines[p.ID] = p
	}
	for _, ch := range cat.Channels {
		v.channels[ch.Name] = ch
		if p, ok := v.pipelines[ch.PipelineID]; ok && len(p.Steps) > 0 {
			v.edges[ch.Name] = pl.steps[stepKey{ch.ID, p.Steps[len(p.Steps)-1].Position}]
		}
	}
	v.configs = buildConfigs(cat, pl, authURL)
	return v
}

func uniqueHosts(s store.FleetStreamer) []string {
	a, b := hostOf(s.APIURL), hostOf(s.PublicURL)
	switch {
	case a == "":
		return nil
	case b == "" || b == a:
		return []string{a}
	}
	return []string{a, b}
}

// Fleet returns every streamer's health, load and streams, and where every
// channel runs.
func (m *Manager) Fleet() api.FleetStatus {
	v, snap := m.view.Load(), m.poller.Snapshot()
	out := api.FleetStatus{Streamers: []api.StreamerHealth{}, Channels: m.channelPlacements(v, snap),
		LoadedAt: v.loadedAt}
	if v.loadErr != nil {
		out.LoadError = api.ErrorMessage(v.loadErr)
	}
	placed := map[int64]int{}
	for _, ids := range v.placement.steps {
		for _, id := range ids {
			placed[id]++
		}
	}
	if v.cat == nil {
		return out
	}
	for _, s := range v.cat.Streamers {
		out.Streamers = append(out.Streamers, streamerHealth(s, snap.Streamers[idString(s.ID)], placed[s.ID]))
	}
	return out
}

func streamerHealth(s store.FleetStreamer, st *StreamerState, placed int) api.StreamerHealth {
	h := api.StreamerHealth{ID: s.ID, Name: s.Name, Health: api.HealthUnknown, ChannelLimit: s.ChannelLimit,
		BandwidthLimitKbps: s.BandwidthLimitKbps, PlacedChannels: placed, Streams: []api.StreamHealth{}}
	if st == nil {
		return h
	}
	h.Health, h.Failures, h.LastError, h.PolledAt, h.UpdatedAt = string(st.Health), st.Failures, st.LastError, st.PolledAt, st.UpdatedAt
	x := st.Stats
	h.Hostname, h.Version, h.CPU, h.Memory, h.Clients = x.Hostname, x.Version, x.CPU, x.Memory, x.Clients
	h.InputKbps, h.OutputKbps, h.BandwidthUsage = x.InputKbps, x.OutputKbps, x.BandwidthUsage
	for _, s := range st.Streams {
		h.Streams = append(h.Streams, api.StreamHealth{Name: s.Name, Status: s.Status, Alive: s.Alive,
			Healthy: s.Healthy(), InputKbps: s.InputBitrateKbps, OutputKbps: s.OutputBitrateKbps,
			Clients: s.Clients, InputErrors: s.InputErrors})
	}
	sort.Slice(h.Streams, func(i, j int) bool { return h.Streams[i].Name < h.Streams[j].Name })
	return h
}

// Placements returns where every channel runs, step by step.
func (m *Manager) Placements() []api.ChannelPlacement {
	return m.channelPlacements(m.view.Load(), m.poller.Snapshot())
}

func (m *Manager) channelPlacements(v *view, snap Fleet) []api.ChannelPlacement {
	out := []api.ChannelPlacement{}
	if v.cat == nil {
		return out
	}
	for _, ch := range v.cat.Channels {
		p, ok := v.pipelines[ch.PipelineID]
		if !ok {
			continue
		}
		cp := api.ChannelPlacement{ChannelID: ch.ID, Channel: ch.Name, PipelineID: p.ID, Pipeline: p.Name}
		for _, st := range p.Steps {
			ids := v.placement.steps[stepKey{ch.ID, st.Position}]
			ps := api.PlacementStep{Position: st.Position, Role: st.Role, Placement: st.Placement,
				StreamerIDs: append([]int64{}, ids...), Alive: []int64{}}
			for _, id := range ids {
				if s, ok := snap.Streamers[idString(id)]; ok && s.Up() && s.Streams[ch.Name].Healthy() {
					ps.Alive = append(ps.Alive, id)
				}
			}
			cp.Steps = append(cp.Steps, ps)
		}
		out = append(out, cp)
	}
	return out
}

// StreamerHistory returns a streamer's samples over the last hour; it
// returns CodeNotFound for a streamer the fleet does not poll.
func (m *Manager) StreamerHistory(id int64) (api.StreamerHistory, error) {
	if _, ok := m.view.Load().streamers[id]; !ok {
		return api.StreamerHistory{}, api.Errorf(api.CodeNotFound, "streamer %d is not in the fleet", id)
	}
	out := api.StreamerHistory{StreamerID: id, Samples: []api.StreamerSample{}}
	for _, s := range m.poller.History(idString(id)) {
		out.Samples = append(out.Samples, api.StreamerSample(s))
	}
	return out, nil
}

// ChannelHistory returns the stream's samples on every streamer that has
// reported it within the last hour. Streams not in Canale (autobalancer)
// have a history too; a name no streamer reported is CodeNotFound.
func (m *Manager) ChannelHistory(name string) (api.ChannelHistory, error) {
	out := api.ChannelHistory{Channel: name, Streamers: []api.ChannelStreamerHistory{}}
	v := m.view.Load()
	if v.cat != nil {
		for _, s := range v.cat.Streamers {
			samples := m.poller.StreamHistory(idString(s.ID), name)
			if len(samples) == 0 {
				continue
			}
			h := api.ChannelStreamerHistory{StreamerID: s.ID, Samples: make([]api.StreamSample, 0, len(samples))}
			for _, x := range samples {
				h.Samples = append(h.Samples, api.StreamSample(x))
			}
			out.Streamers = append(out.Streamers, h)
		}
	}
	if _, known := v.channels[name]; !known && len(out.Streamers) == 0 {
		return out, api.Errorf(api.CodeNotFound, "no channel or stream named %q", name)
	}
	return out, nil
}
