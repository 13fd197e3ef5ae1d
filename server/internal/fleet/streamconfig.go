package fleet

import (
	"encoding/json"
	"net/url"
	"sort"
	"strings"

	"canale/server/internal/store"
)

// DVRRoot is the archive directory given to DVR steps. The catalog has no
// per-streamer storage path yet, so every DVR streamer records under the
// root Flussonic's own examples use.
const DVRRoot = "/storage"

// StreamConfig is one stream of a config_external answer (specs/flussonic.md
// §3.1). It holds only writable stream_config fields: never stats, named_by,
// position, template, disabled, config_on_disk or srt_port_resolve.
type StreamConfig struct {
	Name   string            `json:"name"`
	Title  string            `json:"title,omitempty"`
	Static bool              `json:"static"`
	Inputs []StreamInput     `json:"inputs"`
	DVR    *StreamDVR        `json:"dvr,omitempty"`
	OnPlay *StreamAuth       `json:"on_play,omitempty"`
	Labels map[string]string `json:"labels,omitempty"`
}

// StreamInput is one input URL; lower priorities are tried first.
type StreamInput struct {
	URL      string `json:"url"`
	Priority int    `json:"priority"`
}

// StreamDVR is the archive of a DVR step; Expiration is in seconds.
type StreamDVR struct {
	Root       string `json:"root"`
	Expiration int    `json:"expiration"`
}

// StreamAuth is the on_play backend of a stream.
type StreamAuth struct {
	URL string `json:"url"`
}

// streamsBody is the wire answer of GET <config_external>/streams.
type streamsBody struct {
	Streams        []StreamConfig `json:"streams"`
	EstimatedCount int            `json:"estimated_count"`
}

// streamerConfig is what one streamer is told to run, rendered once per
// change so config_external answers are a map lookup.
type streamerConfig struct {
	streams []StreamConfig
	byName  map[string]int
	body    []byte // the whole answer, for requests without name=
}

// renderStreams answers with the given streams (all when names is nil).
func (c *streamerConfig) renderStreams(names []string) []byte {
	if names == nil {
		return c.body
	}
	picked := []StreamConfig{}
	for _, n := range names {
		if i, ok := c.byName[n]; ok {
			picked = append(picked, c.streams[i])
		}
	}
	b, _ := json.Marshal(streamsBody{Streams: picked, EstimatedCount: len(picked)})
	return b
}

// buildConfigs turns placements into each streamer's stream list. Every step
// after the first pulls the stream from the previous step's streamers over
// m4f; the first takes the channel's sources. When one streamer holds
// several steps of a channel they merge into one stream (a streamer cannot
// run two streams of one name): the first step's inputs, plus the archive
// of a later DVR step and the on_play of the last step. Viewers are sent to
// the last step only, so only it carries on_play; the inner steps are
// pulled by streamers, which present no viewer token.
func buildConfigs(cat *store.FleetCatalog, pl placement, authURL string) map[int64]*streamerConfig {
	streamers := map[int64]store.FleetStreamer{}
	for _, s := range cat.Streamers {
		streamers[s.ID] = s
	}
	pipelines := map[int64]store.FleetPipeline{}
	for _, p := range cat.Pipelines {
		pipelines[p.ID] = p
	}
	lists := map[int64]map[string]*StreamConfig{}
	for _, ch := range cat.Channels {
		p, ok := pipelines[ch.PipelineID]
		if !ok {
			continue
		}
		for i, st := range p.Steps {
			var prev []int64
			if i > 0 {
				prev = pl.steps[stepKey{ch.ID, p.Steps[i-1].Position}]
			}
			last := i == len(p.Steps)-1
			for _, id := range pl.steps[stepKey{ch.ID, st.Position}] {
				if lists[id] == nil {
					lists[id] = map[string]*StreamConfig{}
				}
				addStep(lists[id], id, ch, p.Name, st, i == 0, prev, streamers, last, authURL)
			}
		}
	}
	out := make(map[int64]*streamerConfig, len(lists))
	for id, m := range lists {
		out[id] = newStreamerConfig(m)
	}
	return out
}

func addStep(list map[string]*StreamConfig, self int64, ch store.FleetChannel, pipeline string, st store.FleetStep,
	first bool, prev []int64, streamers map[int64]store.FleetStreamer, last bool, authURL string) {
	sc := list[ch.Name]
	if sc == nil {
		inputs := pullInputs(self, ch.Name, prev, streamers)
		if first {
			inputs = sourceInputs(ch)
		}
		if len(inputs) == 0 {
			return // nothing to pull from: the previous step has no streamer
		}
		sc = &StreamConfig{Name: ch.Name, Title: ch.Title, Static: true, Inputs: inputs,
			Labels: map[string]string{"canale_pipeline": pipeline, "canale_role": st.Role}}
		list[ch.Name] = sc
	} else {
		sc.Labels["canale_role"] += "," + st.Role
	}
	if st.Role == "dvr" && ch.DVRDays > 0 {
		sc.DVR = &StreamDVR{Root: DVRRoot, Expiration: ch.DVRDays * 86400}
	}
	if last && authURL != "" {
		sc.OnPlay = &StreamAuth{URL: authURL}
	}
}

func sourceInputs(ch store.FleetChannel) []StreamInput {
	out := make([]StreamInput, 0, len(ch.Sources))
	for i, s := range ch.Sources {
		prio := s.Priority
		if prio <= 0 {
			prio = i + 1
		}
		out = append(out, StreamInput{URL: s.URL, Priority: prio})
	}
	return out
}

// pullInputs pulls from each streamer of the previous step, in id order, as
// m4f://host:port/name (specs/flussonic.md §3.3, §8.10).
func pullInputs(self int64, name string, prev []int64, streamers map[int64]store.FleetStreamer) []StreamInput {
	var out []StreamInput
	for _, id := range prev {
		if id == self {
			continue
		}
		u, err := url.Parse(streamers[id].APIURL)
		if err != nil || u.Host == "" {
			continue
		}
		out = append(out, StreamInput{URL: "m4f://" + u.Host + "/" + name, Priority: len(out) + 1})
	}
	return out
}

func newStreamerConfig(m map[string]*StreamConfig) *streamerConfig {
	c := &streamerConfig{byName: make(map[string]int, len(m))}
	for _, sc := range m {
		c.streams = append(c.streams, *sc)
	}
	sort.Slice(c.streams, func(i, j int) bool { return c.streams[i].Name < c.streams[j].Name })
	for i, sc := range c.streams {
		c.byName[sc.Name] = i
	}
	c.body, _ = json.Marshal(streamsBody{Streams: c.streams, EstimatedCount: len(c.streams)})
	return c
}

// emptyConfig is the answer for a streamer with nothing placed on it.
var emptyConfig = newStreamerConfig(nil)

// hostOf returns the lower-cased host name of a URL, without the port.
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}
