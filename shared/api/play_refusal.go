package api

import "time"

// PlayRefusal is one play check the server refused: who (when the token was
// known), which channel, through which streamer, from where, and why. The
// server keeps them for a day so a NOC can answer "why can't this customer
// watch"; the admin API lists the last hour.
type PlayRefusal struct {
	ID              int64     `json:"id"`
	At              time.Time `json:"at"`
	SubscriberID    *int64    `json:"subscriber_id,omitempty"`
	SubscriberLogin string    `json:"subscriber_login,omitempty"`
	ChannelID       *int64    `json:"channel_id,omitempty"`
	Name            string    `json:"name"` // the stream name asked for
	StreamerID      *int64    `json:"streamer_id,omitempty"`
	StreamerName    string    `json:"streamer_name,omitempty"`
	StreamerHost    string    `json:"streamer_host"`
	IP              string    `json:"ip"`
	UserAgent       string    `json:"user_agent"`
	Proto           string    `json:"proto"`
	Reason          string    `json:"reason"`       // the code the streamer got: expired, disabled, not_in_package, too_many_sessions, unknown_token, ...
	ReasonTitle     string    `json:"reason_title"` // the reason in words
}

// PlayRefusalFilter selects refusals: the last hour (Since zero), of one
// subscriber login and one reason code when set.
type PlayRefusalFilter struct {
	SubscriberLogin string    `json:"subscriber,omitempty" query:"subscriber"`
	Reason          string    `json:"reason,omitempty" query:"reason"`
	Since           time.Time `json:"since,omitzero" query:"since"`
}

// RefusalWindow is how far back the refusal list looks by default.
const RefusalWindow = time.Hour
