package api

import (
	"net/url"
	"strings"
	"time"
)

// EPGSource is an external XMLTV guide that Canale downloads every
// IntervalHours and whose programmes it serves to players.
type EPGSource struct {
	ID            int64  `json:"id"`
	Name          string `json:"name"`
	URL           string `json:"url"`
	Enabled       bool   `json:"enabled"`
	IntervalHours int    `json:"interval_hours"` // how often the guide is downloaded
	DaysKeep      int    `json:"days_keep"`      // days of past programmes kept (the catch-up window); 0: none
	// AllowPrivateNetwork lets the source's URL (and its redirects) reach
	// loopback, private and link-local addresses. Off by default, so that a
	// guide URL cannot be used to reach inside the server's network.
	AllowPrivateNetwork bool `json:"allow_private_network"`

	// The outcome of the last import; LastResult is "" before the first one.
	LastRunAt      *time.Time `json:"last_run_at,omitempty"`
	LastResult     string     `json:"last_result"` // "", EPGResultOK or EPGResultError
	LastError      string     `json:"last_error,omitempty"`
	ProgrammeCount int        `json:"programme_count"`
	ChannelCount   int        `json:"channel_count"`
	Warnings       int        `json:"warnings"` // programmes and channels skipped as malformed, or kept with texts cut to their caps
	Bytes          int64      `json:"bytes"`
	DurationMS     int64      `json:"duration_ms"`

	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Results of an EPG import.
const (
	EPGResultOK    = "ok"
	EPGResultError = "error"
)

// DefaultEPGIntervalHours is the interval of a new EPG source that gives none.
const DefaultEPGIntervalHours = 24

// Validate checks the fields an operator sets. A zero IntervalHours is fine
// here (the store applies the default); a zero DaysKeep keeps no programme
// that has ended.
func (s EPGSource) Validate() error {
	f := FieldErrors{}
	validateEPGSource(f, s.Name, s.URL, s.IntervalHours, s.DaysKeep)
	return f.Err()
}

func validateEPGSource(f FieldErrors, name, rawURL string, interval, daysKeep int) {
	if n := strings.TrimSpace(name); n == "" {
		f.Add("name", "required")
	} else if len(n) > 100 {
		f.Add("name", "at most 100 characters")
	}
	if u, err := url.Parse(strings.TrimSpace(rawURL)); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		f.Add("url", "must be an http or https URL")
	}
	if interval < 0 || interval > 24*31 {
		f.Add("interval_hours", "must be between 1 and 744")
	}
	if daysKeep < 0 || daysKeep > 365 {
		f.Add("days_keep", "must be between 0 and 365")
	}
}

// EPGSourceUpdate is the body of PATCH /epg-sources/{id}: nil fields stay as
// they are; Version is the version the caller read.
type EPGSourceUpdate struct {
	Name          *string `json:"name,omitempty"`
	URL           *string `json:"url,omitempty"`
	Enabled       *bool   `json:"enabled,omitempty"`
	IntervalHours *int    `json:"interval_hours,omitempty"`
	DaysKeep      *int    `json:"days_keep,omitempty"`
	// AllowPrivateNetwork: see EPGSource.AllowPrivateNetwork.
	AllowPrivateNetwork *bool `json:"allow_private_network,omitempty"`
	Version             int   `json:"version"`
}

// Apply returns s with the update's fields set.
func (u EPGSourceUpdate) Apply(s EPGSource) EPGSource {
	if u.Name != nil {
		s.Name = *u.Name
	}
	if u.URL != nil {
		s.URL = *u.URL
	}
	if u.Enabled != nil {
		s.Enabled = *u.Enabled
	}
	if u.IntervalHours != nil {
		s.IntervalHours = *u.IntervalHours
	}
	if u.DaysKeep != nil {
		s.DaysKeep = *u.DaysKeep
	}
	if u.AllowPrivateNetwork != nil {
		s.AllowPrivateNetwork = *u.AllowPrivateNetwork
	}
	return s
}

// Validate checks the fields being set; the store checks the version, where it reads the row.
func (u EPGSourceUpdate) Validate() error {
	f := FieldErrors{}
	s := u.Apply(EPGSource{Name: "x", URL: "http://x", IntervalHours: 1})
	validateEPGSource(f, s.Name, s.URL, s.IntervalHours, s.DaysKeep)
	if u.IntervalHours != nil && *u.IntervalHours == 0 {
		f.Add("interval_hours", "must be between 1 and 744")
	}
	return f.Err()
}

// EPGSourceFilter selects EPG sources; zero fields do not filter.
type EPGSourceFilter struct {
	Enabled *bool `json:"enabled,omitempty" query:"enabled"`
}

// EPGSourceStatus is an EPG source with the state of its import on this
// server: the answer of GET /epg-sources/{id} and POST /epg-sources/{id}/run.
type EPGSourceStatus struct {
	EPGSource
	Running  bool         `json:"running"`
	Progress *EPGProgress `json:"progress,omitempty"` // set while Running
}

// EPGProgress is how far a running import has got; it is also the payload of
// EventEPGProgress events.
type EPGProgress struct {
	SourceID   int64     `json:"source_id"`
	StartedAt  time.Time `json:"started_at"`
	BytesRead  int64     `json:"bytes_read"`  // from the source, compressed size for gzip
	BytesTotal int64     `json:"bytes_total"` // announced by the source; -1 when unknown
	Programmes int       `json:"programmes"`  // parsed so far
	Channels   int       `json:"channels"`
}

// EPGDone is the payload of EventEPGDone: the outcome of one import.
type EPGDone struct {
	SourceID   int64  `json:"source_id"`
	Result     string `json:"result"` // EPGResultOK or EPGResultError
	Error      string `json:"error,omitempty"`
	Programmes int    `json:"programmes"` // stored
	Channels   int    `json:"channels"`
	Warnings   int    `json:"warnings"`
	Bytes      int64  `json:"bytes"`
	DurationMS int64  `json:"duration_ms"`
}

// EPG event types.
const (
	EventEPGProgress = "epg_progress"
	EventEPGDone     = "epg_done"
)

// EPGChannel is a <channel> an EPG source offers; its EPGID is what a
// channel's epg_channel_id names.
type EPGChannel struct {
	SourceID     int64    `json:"source_id"`
	EPGID        string   `json:"epg_id"`
	DisplayNames []string `json:"display_names"`
	Icon         string   `json:"icon,omitempty"`
}

// EPGProgramme is one programme of a guide. Stop is always set.
type EPGProgramme struct {
	SourceID      int64     `json:"source_id"`
	ChannelEPGID  string    `json:"channel_epg_id"`
	Start         time.Time `json:"start"`
	Stop          time.Time `json:"stop"`
	Title         string    `json:"title"`
	SubTitle      string    `json:"sub_title,omitempty"`
	Description   string    `json:"description,omitempty"`
	Categories    []string  `json:"categories,omitempty"`
	EpisodeSystem string    `json:"episode_system,omitempty"` // e.g. "xmltv_ns", "onscreen"
	Episode       string    `json:"episode,omitempty"`
	Icon          string    `json:"icon,omitempty"`
	Lang          string    `json:"lang,omitempty"`
}

// MaxEPGWindow bounds the time window of a programme query.
const MaxEPGWindow = 31 * 24 * time.Hour
