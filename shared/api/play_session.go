package api

import "time"

// PlaySession is one viewer session as the streamers report it through play
// authorization: who watches which channel, on which streamer, from where.
// It is live while ClosedAt is nil and ExpiresAt has not passed.
type PlaySession struct {
	ID           int64      `json:"id"`
	SessionID    string     `json:"session_id"`
	SubscriberID int64      `json:"subscriber_id"`
	ChannelID    *int64     `json:"channel_id,omitempty"`
	Name         string     `json:"name"`
	StreamerID   *int64     `json:"streamer_id,omitempty"`
	StreamerHost string     `json:"streamer_host"`
	IP           string     `json:"ip"`
	UserAgent    string     `json:"user_agent"`
	Proto        string     `json:"proto"`
	DVR          bool       `json:"dvr"`
	Bytes        int64      `json:"bytes"`
	OpenedAt     time.Time  `json:"opened_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
	ExpiresAt    time.Time  `json:"expires_at"`
	ClosedAt     *time.Time `json:"closed_at,omitempty"`
	CloseReason  string     `json:"close_reason,omitempty"` // expired, killed (by an administrator), limit (cut by end_oldest), ended (the edge said the player left)
}

// PlaySessionFilter selects sessions: live ones by default, closed ones too
// with History.
type PlaySessionFilter struct {
	Channel      string `json:"channel,omitempty"`
	SubscriberID int64  `json:"subscriber_id,omitempty"`
	StreamerID   int64  `json:"streamer_id,omitempty"`
	History      bool   `json:"history,omitempty"`
}
