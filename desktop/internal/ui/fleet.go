package ui

import (
	"strconv"
	"strings"

	"canale/shared/api"
)

// Channel health as the channel screens show it.
const (
	channelAlive    = "alive"
	channelDead     = "dead"
	channelUnplaced = "not placed"
	channelNoPipe   = "no pipeline"
)

// isFleetEvent reports whether an event changes what /fleet answers.
func isFleetEvent(typ string) bool {
	switch typ {
	case api.EventStreamerUp, api.EventStreamerDown, api.EventStreamUp, api.EventStreamDown,
		api.EventInputErrors, api.EventInputErrorsCleared, api.EventChannelMoved:
		return true
	}
	return false
}

// fleetIndex answers the screens' questions about one /fleet answer.
type fleetIndex struct {
	status    api.FleetStatus
	channels  map[string]api.ChannelPlacement
	streamers map[int64]api.StreamerHealth
}

func newFleetIndex(st api.FleetStatus) fleetIndex {
	x := fleetIndex{status: st, channels: map[string]api.ChannelPlacement{}, streamers: map[int64]api.StreamerHealth{}}
	for _, c := range st.Channels {
		x.channels[c.Channel] = c
	}
	for _, s := range st.Streamers {
		x.streamers[s.ID] = s
	}
	return x
}

// channelHealth is alive when every step of the channel's pipeline runs on
// a streamer that reports the stream healthy, dead when a placed step has
// none, and says why otherwise.
func (x fleetIndex) channelHealth(name string) string {
	p, ok := x.channels[name]
	if !ok {
		return channelNoPipe
	}
	if len(p.Steps) == 0 {
		return channelUnplaced
	}
	for _, st := range p.Steps {
		if len(st.StreamerIDs) == 0 {
			return channelUnplaced
		}
		if len(st.Alive) == 0 {
			return channelDead
		}
	}
	return channelAlive
}

// placedOn says where a channel runs, step by step: "ingest: ingest1,
// edge: edge1 edge2", a streamer without the stream healthy marked "✗".
func (x fleetIndex) placedOn(name string) string {
	p, ok := x.channels[name]
	if !ok {
		return ""
	}
	var parts []string
	for _, st := range p.Steps {
		alive := map[int64]bool{}
		for _, id := range st.Alive {
			alive[id] = true
		}
		var names []string
		for _, id := range st.StreamerIDs {
			n := x.streamerName(id)
			if !alive[id] {
				n += " ✗"
			}
			names = append(names, n)
		}
		if len(names) == 0 {
			names = []string{"nowhere"}
		}
		parts = append(parts, st.Role+": "+strings.Join(names, " "))
	}
	return strings.Join(parts, ", ")
}

func (x fleetIndex) streamerName(id int64) string {
	if s, ok := x.streamers[id]; ok {
		return s.Name
	}
	return "#" + strconv.FormatInt(id, 10)
}

// viewers sums a channel's clients over every streamer that reports it.
func (x fleetIndex) viewers(name string) int64 {
	var n int64
	for _, s := range x.status.Streamers {
		for _, st := range s.Streams {
			if st.Name == name {
				n += st.Clients
			}
		}
	}
	return n
}

// channelsOn lists the channels placed on a streamer, by step role.
func (x fleetIndex) channelsOn(id int64) []string {
	var out []string
	for _, c := range x.status.Channels {
		for _, st := range c.Steps {
			for _, sid := range st.StreamerIDs {
				if sid == id {
					out = append(out, c.Channel+" ("+st.Role+")")
				}
			}
		}
	}
	return out
}

// formatKbps shows a bitrate in kbit/s, as the fleet API reports it, in
// the unit a person reads best.
func formatKbps(kbps int64) string { return formatBitrate(float64(kbps) * 1000) }
