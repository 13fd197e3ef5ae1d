package api

import "time"

// PlaySession is one viewer session as the streamers report it through play
// authorization: who watches which channel, on which streamer, from where.
// It is live while ClosedAt is nil and ExpiresAt has not passed.
type PlaySession struct {
	ID           int64  `json:"id"`
	SessionID    string `json:"session_id"`
	SubscriberID int64  `json:"subscriber_id"`
	// SubscriberLogin and StreamerName are joined by the server so a list
	// reads without lookups; empty when the subscriber or streamer is gone.
	SubscriberLogin string     `json:"subscriber_login,omitempty"`
	StreamerName    string     `json:"streamer_name,omitempty"`
	ChannelID       *int64     `json:"channel_id,omitempty"`
	Name            string     `json:"name"`
	StreamerID      *int64     `json:"streamer_id,omitempty"`
	StreamerHost    string     `json:"streamer_host"`
	IP              string     `json:"ip"`
	UserAgent       string     `json:"user_agent"`
	Proto           string     `json:"proto"`
	DVR             bool       `json:"dvr"`
	Bytes           int64      `json:"bytes"`
	OpenedAt        time.Time  `json:"opened_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
	ExpiresAt       time.Time  `json:"expires_at"`
	ClosedAt        *time.Time `json:"closed_at,omitempty"`
	CloseReason     string     `json:"close_reason,omitempty"` // expired, killed (by an administrator), limit (cut by end_oldest), ended (the edge said the player left)
}

// PlaySessionFilter selects sessions: live ones by default, closed ones too
// with History.
type PlaySessionFilter struct {
	Channel string `json:"channel,omitempty" query:"channel"`
	// SubscriberLogin selects one subscriber by login (case-insensitive).
	SubscriberLogin string `json:"subscriber,omitempty" query:"subscriber"`
	SubscriberID    int64  `json:"subscriber_id,omitempty" query:"subscriber_id"`
	StreamerID      int64  `json:"streamer_id,omitempty" query:"streamer_id"`
	History         bool   `json:"history,omitempty" query:"history"`
}

// Duration is how long the session has been watched: to its close, or to
// its last check while live.
func (p PlaySession) Duration() time.Duration {
	end := p.UpdatedAt
	if p.ClosedAt != nil {
		end = *p.ClosedAt
	}
	return max(end.Sub(p.OpenedAt), 0)
}

// Bitrate is the session's mean rate in bits per second: the bytes the
// streamer reported over its duration; 0 until both are known.
func (p PlaySession) Bitrate() int64 {
	d := p.Duration()
	if d < time.Second || p.Bytes <= 0 {
		return 0
	}
	return int64(float64(p.Bytes*8) / d.Seconds())
}
