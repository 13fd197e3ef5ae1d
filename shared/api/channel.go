package api

import (
	"regexp"
	"strings"
	"time"
)

// streamName is what a stream name on a streamer may look like.
var streamName = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)

// ValidStreamName reports whether s can name a stream on a streamer.
func ValidStreamName(s string) bool { return streamName.MatchString(s) }

// Source is one input of a channel; lower priority values are tried first.
type Source struct {
	URL      string `json:"url"`
	Priority int    `json:"priority"`
}

// Channel is a live channel: metadata and access rights only, the video is
// the streamer's job. Name is the stream name on the streamers; Title is what
// viewers read. Logo is the URL players load: the public logo route when a
// logo was uploaded, else LogoURL.
type Channel struct {
	ID           int64          `json:"id"`
	Name         string         `json:"name"`
	Title        string         `json:"title"`
	LogoURL      string         `json:"logo_url"`
	Logo         string         `json:"logo,omitempty"`
	HasLogo      bool           `json:"has_logo"`
	CategoryID   *int64         `json:"category_id"`
	Number       int            `json:"number"`
	Sources      []Source       `json:"sources"`
	EPGChannelID string         `json:"epg_channel_id"`
	DVRDays      int            `json:"dvr_days"`
	PipelineID   *int64         `json:"pipeline_id"`
	Enabled      bool           `json:"enabled"`
	Free         bool           `json:"free"`
	Attributes   map[string]any `json:"attributes,omitempty"`
	Version      int            `json:"version"`
	CreatedAt    time.Time      `json:"created_at"`
	UpdatedAt    time.Time      `json:"updated_at"`
}

// ChannelCreate is the body of POST /api/v1/channels; a nil Enabled means
// enabled.
type ChannelCreate struct {
	Name         string         `json:"name"`
	Title        string         `json:"title"`
	LogoURL      string         `json:"logo_url"`
	CategoryID   *int64         `json:"category_id"`
	Number       int            `json:"number"`
	Sources      []Source       `json:"sources"`
	EPGChannelID string         `json:"epg_channel_id"`
	DVRDays      int            `json:"dvr_days"`
	PipelineID   *int64         `json:"pipeline_id"`
	Enabled      *bool          `json:"enabled"`
	Free         bool           `json:"free"`
	Attributes   map[string]any `json:"attributes,omitempty"`
}

// Channel returns the channel described by c.
func (c ChannelCreate) Channel() Channel {
	ch := Channel{Name: strings.TrimSpace(c.Name), Title: strings.TrimSpace(c.Title), LogoURL: c.LogoURL,
		CategoryID: c.CategoryID, Number: c.Number, Sources: c.Sources, EPGChannelID: c.EPGChannelID,
		DVRDays: c.DVRDays, PipelineID: c.PipelineID, Enabled: c.Enabled == nil || *c.Enabled, Free: c.Free,
		Attributes: c.Attributes}
	return ch.normalize()
}

func (c Channel) normalize() Channel {
	if c.Sources == nil {
		c.Sources = []Source{}
	}
	if c.CategoryID != nil && *c.CategoryID == 0 {
		c.CategoryID = nil
	}
	if c.PipelineID != nil && *c.PipelineID == 0 {
		c.PipelineID = nil
	}
	return c
}

// Validate checks the channel's fields; messages name the JSON field.
func (c Channel) Validate() error {
	f := FieldErrors{}
	if !ValidStreamName(c.Name) {
		f.Add("name", "must be 1-64 characters of a-z, A-Z, 0-9, _ and -")
	}
	checkName(f, "title", c.Title, 300)
	checkURL(f, "logo_url", c.LogoURL, true)
	for _, s := range c.Sources {
		if !validSourceURL(s.URL) {
			f.Add("sources", "every source needs an absolute URL (udp://, http://, rtmp://, ...)")
		}
	}
	checkNonNegative(f, "number", int64(c.Number))
	checkNonNegative(f, "dvr_days", int64(c.DVRDays))
	return f.Err()
}

// validSourceURL accepts any scheme the streamer may ingest from.
func validSourceURL(s string) bool {
	i := strings.Index(s, "://")
	return i > 0 && len(s) > i+3 && !strings.ContainsAny(s, " \t\r\n")
}

// ChannelUpdate is the body of PATCH /api/v1/channels/{id}. A CategoryID or
// PipelineID of 0 clears the reference.
type ChannelUpdate struct {
	Name         *string         `json:"name,omitempty"`
	Title        *string         `json:"title,omitempty"`
	LogoURL      *string         `json:"logo_url,omitempty"`
	CategoryID   *int64          `json:"category_id,omitempty"`
	Number       *int            `json:"number,omitempty"`
	Sources      *[]Source       `json:"sources,omitempty"`
	EPGChannelID *string         `json:"epg_channel_id,omitempty"`
	DVRDays      *int            `json:"dvr_days,omitempty"`
	PipelineID   *int64          `json:"pipeline_id,omitempty"`
	Enabled      *bool           `json:"enabled,omitempty"`
	Free         *bool           `json:"free,omitempty"`
	Attributes   *map[string]any `json:"attributes,omitempty"`
	Version      int             `json:"version"`
}

// Apply returns c with the set fields of u.
func (u ChannelUpdate) Apply(c Channel) Channel {
	set(&c.Name, u.Name)
	set(&c.Title, u.Title)
	set(&c.LogoURL, u.LogoURL)
	if u.CategoryID != nil {
		c.CategoryID = u.CategoryID
	}
	set(&c.Number, u.Number)
	set(&c.Sources, u.Sources)
	set(&c.EPGChannelID, u.EPGChannelID)
	set(&c.DVRDays, u.DVRDays)
	if u.PipelineID != nil {
		c.PipelineID = u.PipelineID
	}
	set(&c.Enabled, u.Enabled)
	set(&c.Free, u.Free)
	set(&c.Attributes, u.Attributes)
	c.Name, c.Title = strings.TrimSpace(c.Name), strings.TrimSpace(c.Title)
	return c.normalize()
}

// ChannelFilter selects channels; zero fields do not filter. Lists search
// ?q= as a case-insensitive prefix of name or title and sort by number
// (default), name or title.
type ChannelFilter struct {
	CategoryID int64 `query:"category_id"`
	PipelineID int64 `query:"pipeline_id"`
	Enabled    *bool `query:"enabled"`
}
