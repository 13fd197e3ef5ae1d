package fleet

import (
	"sort"

	"canale/server/internal/store"
)

// DefaultChannelKbps is the bitrate assumed for a channel no streamer has
// reported yet, when weighing it against a bandwidth limit.
const DefaultChannelKbps = 4000

// Placement steps say whether a channel runs on one streamer of the step or
// on all of them.
const (
	PlaceOne = "one"
	PlaceAll = "all"
)

// stepKey names one step of one channel.
type stepKey struct {
	channel  int64
	position int
}

// Move is a change of the streamer that runs a placement=one step.
// From is 0 when the step was not placed before, To is 0 when no streamer
// had room for it.
type Move struct {
	ChannelID int64
	Channel   string
	Position  int
	Role      string
	From, To  int64
}

// placementInput is what a placement decision depends on.
type placementInput struct {
	cat *store.FleetCatalog
	// prev holds the current streamer of each placement=one step.
	prev map[stepKey]int64
	// health of a streamer; a streamer never polled is HealthUnknown.
	health func(id int64) Health
	// kbps is a channel's bitrate, for bandwidth limits.
	kbps func(channel string) int64
}

// placement is the outcome: the streamers of every step of every channel.
type placement struct {
	steps map[stepKey][]int64
	one   map[stepKey]int64 // the placement=one steps that have a streamer
	moves []Move
}

// capacity tracks what is placed on each streamer against its limits.
type capacity struct {
	limits   map[int64]store.FleetStreamer
	channels map[int64]int
	kbps     map[int64]int64
}

func (c *capacity) add(id, kbps int64) {
	c.channels[id]++
	c.kbps[id] += kbps
}

// room reports whether the streamer can take one more channel of kbps.
func (c *capacity) room(id, kbps int64) bool {
	l := c.limits[id]
	if l.ChannelLimit > 0 && c.channels[id]+1 > l.ChannelLimit {
		return false
	}
	return l.BandwidthLimitKbps <= 0 || c.kbps[id]+kbps <= l.BandwidthLimitKbps
}

// place decides where every channel runs. The rule, which keeps channels
// from flapping between streamers:
//
//   - placement=all: every enabled streamer of the step, whatever its health
//     (a streamer that is down simply serves nothing until it is back);
//   - placement=one: a channel stays where it is as long as that streamer is
//     still in the step and not down (up, or not polled yet: a restart does
//     not reshuffle). Only then is it moved, to the streamer of the step that
//     has room (channel_limit, bandwidth_limit_kbps against the bitrates of
//     the channels placed on it) and the fewest channels, preferring streamers
//     known to be up over ones not polled yet, and never a down one. A
//     streamer that comes back gets no channels back: they move again only
//     if their current streamer fails.
//
// Channels kept in place are counted first, so a move never evicts them.
func place(in placementInput) placement {
	load := &capacity{limits: map[int64]store.FleetStreamer{}, channels: map[int64]int{}, kbps: map[int64]int64{}}
	for _, s := range in.cat.Streamers {
		load.limits[s.ID] = s
	}
	pipelines := map[int64]*store.FleetPipeline{}
	for i := range in.cat.Pipelines {
		pipelines[in.cat.Pipelines[i].ID] = &in.cat.Pipelines[i]
	}
	out := placement{steps: map[stepKey][]int64{}, one: map[stepKey]int64{}}
	var pending []pendingStep
	for _, ch := range in.cat.Channels {
		p := pipelines[ch.PipelineID]
		if p == nil {
			continue
		}
		kbps := in.kbps(ch.Name)
		for _, st := range p.Steps {
			k := stepKey{ch.ID, st.Position}
			if st.Placement == PlaceAll {
				out.steps[k] = st.StreamerIDs
				for _, id := range st.StreamerIDs {
					load.add(id, kbps)
				}
				continue
			}
			if cur, ok := in.prev[k]; ok && contains(st.StreamerIDs, cur) && in.health(cur) != HealthDown {
				out.steps[k], out.one[k] = []int64{cur}, cur
				load.add(cur, kbps)
				continue
			}
			pending = append(pending, pendingStep{ch: ch, step: st, kbps: kbps})
		}
	}
	for _, ps := range pending {
		out.placeOne(in, load, ps)
	}
	return out
}

type pendingStep struct {
	ch   store.FleetChannel
	step store.FleetStep
	kbps int64
}

func (out *placement) placeOne(in placementInput, load *capacity, ps pendingStep) {
	k := stepKey{ps.ch.ID, ps.step.Position}
	to := choose(in, load, ps.step.StreamerIDs, ps.kbps)
	if to != 0 {
		out.steps[k], out.one[k] = []int64{to}, to
		load.add(to, ps.kbps)
	}
	if from := in.prev[k]; from != to {
		out.moves = append(out.moves, Move{ChannelID: ps.ch.ID, Channel: ps.ch.Name, Position: ps.step.Position,
			Role: ps.step.Role, From: from, To: to})
	}
}

// choose picks the streamer for a placement=one step, or 0 when none fits.
func choose(in placementInput, load *capacity, ids []int64, kbps int64) int64 {
	var cands []int64
	for _, id := range ids {
		if in.health(id) != HealthDown && load.room(id, kbps) {
			cands = append(cands, id)
		}
	}
	if len(cands) == 0 {
		return 0
	}
	sort.Slice(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if ua, ub := in.health(a) == HealthUp, in.health(b) == HealthUp; ua != ub {
			return ua
		}
		if load.channels[a] != load.channels[b] {
			return load.channels[a] < load.channels[b]
		}
		return a < b
	})
	return cands[0]
}

func contains(ids []int64, id int64) bool {
	for _, v := range ids {
		if v == id {
			return true
		}
	}
	return false
}
