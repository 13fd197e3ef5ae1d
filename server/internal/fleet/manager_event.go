package fleet

import (
	"encoding/json"
	"time"

	"canale/shared/api"
)

// onPollerEvent turns a poller transition into an api.Event and, when a
// streamer went up or down, asks Run to re-place channels.
func (m *Manager) onPollerEvent(e Event) {
	id := parseID(e.StreamerID)
	m.publish(string(e.Type), e.At, api.FleetEvent{StreamerID: id, StreamerName: m.streamerName(id),
		Stream: e.Stream, Error: e.Error, InputErrors: e.InputErrors})
	if e.Type == StreamerDown || e.Type == StreamerUp {
		select {
		case m.health <- struct{}{}:
		default:
		}
	}
}

// announce logs and publishes a channel move.
func (m *Manager) announce(mv Move) {
	if mv.To == 0 {
		m.log.Warn("fleet: no streamer can take the channel", "channel", mv.Channel, "position", mv.Position,
			"role", mv.Role, "from_streamer_id", mv.From)
	} else {
		m.log.Info("fleet: channel placed", "channel", mv.Channel, "position", mv.Position, "role", mv.Role,
			"from_streamer_id", mv.From, "to_streamer_id", mv.To)
	}
	m.publish(api.EventChannelMoved, time.Now(), api.FleetEvent{ChannelID: mv.ChannelID, Stream: mv.Channel,
		Position: mv.Position, Role: mv.Role, FromStreamerID: mv.From, ToStreamerID: mv.To,
		StreamerID: mv.To, StreamerName: m.streamerName(mv.To)})
}

func (m *Manager) publish(typ string, at time.Time, data api.FleetEvent) {
	b, err := json.Marshal(data)
	if err != nil {
		m.log.Error("fleet: encode event", "error", err)
		return
	}
	m.cfg.Publish(api.Event{Type: typ, At: at, Data: b})
}

func (m *Manager) streamerName(id int64) string {
	if s, ok := m.view.Load().streamers[id]; ok {
		return s.Name
	}
	return ""
}
