package api

import (
	"strings"
	"time"
)

// Streamer roles: what a Flussonic server may do in a pipeline.
const (
	RoleIngest    = "ingest"
	RoleTranscode = "transcode"
	RoleDVR       = "dvr"
	RoleEdge      = "edge"
)

func validStreamerRole(r string) bool {
	return r == RoleIngest || r == RoleTranscode || r == RoleDVR || r == RoleEdge
}

// Streamer auth kinds: how Canale signs in to a streamer's API.
const (
	StreamerAuthNone   = "none"
	StreamerAuthBasic  = "basic"  // api_login + api_password
	StreamerAuthBearer = "bearer" // api_key
)

// Streamer is a Flussonic Media Server as the API shows it. Its credentials
// are write-only: they are needed in clear to call the streamer, so they are
// stored, but no answer ever carries them; Auth and HasCredentials say what
// is set.
type Streamer struct {
	ID                 int64          `json:"id"`
	Name               string         `json:"name"`
	APIURL             string         `json:"api_url"`
	PublicURL          string         `json:"public_url"`
	Roles              []string       `json:"roles"`
	ChannelLimit       int            `json:"channel_limit"`
	BandwidthLimitKbps int64          `json:"bandwidth_limit_kbps"`
	PollIntervalS      int            `json:"poll_interval_s"`
	TimeoutS           int            `json:"timeout_s"`
	Autobalancer       bool           `json:"autobalancer"`
	Enabled            bool           `json:"enabled"`
	Auth               string         `json:"auth"`
	HasCredentials     bool           `json:"has_credentials"`
	Attributes         map[string]any `json:"attributes,omitempty"`
	Version            int            `json:"version"`
	CreatedAt          time.Time      `json:"created_at"`
	UpdatedAt          time.Time      `json:"updated_at"`
}

// StreamerCredentials is how Canale signs in to a streamer's API: login and
// password (classic Catena) or an API key (bearer, newer Flussonic).
type StreamerCredentials struct {
	APILogin    string `json:"api_login,omitempty"`
	APIPassword string `json:"api_password,omitempty"`
	APIKey      string `json:"api_key,omitempty"`
}

// Auth returns the kind of credentials set.
func (c StreamerCredentials) Auth() string {
	switch {
	case c.APIKey != "":
		return StreamerAuthBearer
	case c.APILogin != "" || c.APIPassword != "":
		return StreamerAuthBasic
	}
	return StreamerAuthNone
}

// StreamerCreate is the body of POST /api/v1/streamers. Zero limits mean no
// limit; zero poll interval and timeout take the defaults (10 s, 30 s); a nil
// Enabled means enabled.
type StreamerCreate struct {
	Name               string         `json:"name"`
	APIURL             string         `json:"api_url"`
	PublicURL          string         `json:"public_url"`
	Roles              []string       `json:"roles"`
	ChannelLimit       int            `json:"channel_limit"`
	BandwidthLimitKbps int64          `json:"bandwidth_limit_kbps"`
	PollIntervalS      int            `json:"poll_interval_s"`
	TimeoutS           int            `json:"timeout_s"`
	Autobalancer       bool           `json:"autobalancer"`
	Enabled            *bool          `json:"enabled"`
	Attributes         map[string]any `json:"attributes,omitempty"`
	StreamerCredentials
}

// Streamer returns the streamer described by c, with defaults applied.
func (c StreamerCreate) Streamer() Streamer {
	s := Streamer{Name: strings.TrimSpace(c.Name), APIURL: c.APIURL, PublicURL: c.PublicURL, Roles: c.Roles,
		ChannelLimit: c.ChannelLimit, BandwidthLimitKbps: c.BandwidthLimitKbps, PollIntervalS: c.PollIntervalS,
		TimeoutS: c.TimeoutS, Autobalancer: c.Autobalancer, Enabled: c.Enabled == nil || *c.Enabled,
		Attributes: c.Attributes}
	if s.PollIntervalS == 0 {
		s.PollIntervalS = 10
	}
	if s.TimeoutS == 0 {
		s.TimeoutS = 30
	}
	if s.Roles == nil {
		s.Roles = []string{}
	}
	return s
}

// Validate checks the streamer's fields; messages name the JSON field.
func (s Streamer) Validate() error {
	f := FieldErrors{}
	checkName(f, "name", s.Name, 200)
	checkURL(f, "api_url", s.APIURL, false)
	checkURL(f, "public_url", s.PublicURL, true)
	// Either URL may become the Location of viewers' redirects; a login in
	// it would go to every viewer. Credentials go in api_login, api_password.
	checkNoUserinfo(f, "api_url", s.APIURL)
	checkNoUserinfo(f, "public_url", s.PublicURL)
	for _, r := range s.Roles {
		if !validStreamerRole(r) {
			f.Add("roles", "unknown role "+r+"; want ingest, transcode, dvr or edge")
		}
	}
	checkNonNegative(f, "channel_limit", int64(s.ChannelLimit))
	checkNonNegative(f, "bandwidth_limit_kbps", s.BandwidthLimitKbps)
	if s.PollIntervalS <= 0 {
		f.Add("poll_interval_s", "must be positive")
	}
	if s.TimeoutS <= 0 {
		f.Add("timeout_s", "must be positive")
	}
	return f.Err()
}

// StreamerUpdate is the body of PATCH /api/v1/streamers/{id}: nil fields stay
// as they are. A set credential field replaces the stored one ("" clears it);
// credentials are applied by the store, which alone holds them.
type StreamerUpdate struct {
	Name               *string         `json:"name,omitempty"`
	APIURL             *string         `json:"api_url,omitempty"`
	PublicURL          *string         `json:"public_url,omitempty"`
	Roles              *[]string       `json:"roles,omitempty"`
	ChannelLimit       *int            `json:"channel_limit,omitempty"`
	BandwidthLimitKbps *int64          `json:"bandwidth_limit_kbps,omitempty"`
	PollIntervalS      *int            `json:"poll_interval_s,omitempty"`
	TimeoutS           *int            `json:"timeout_s,omitempty"`
	Autobalancer       *bool           `json:"autobalancer,omitempty"`
	Enabled            *bool           `json:"enabled,omitempty"`
	Attributes         *map[string]any `json:"attributes,omitempty"`
	APILogin           *string         `json:"api_login,omitempty"`
	APIPassword        *string         `json:"api_password,omitempty"`
	APIKey             *string         `json:"api_key,omitempty"`
	Version            int             `json:"version"`
}

// Apply returns s with the set fields of u.
func (u StreamerUpdate) Apply(s Streamer) Streamer {
	set(&s.Name, u.Name)
	set(&s.APIURL, u.APIURL)
	set(&s.PublicURL, u.PublicURL)
	set(&s.Roles, u.Roles)
	set(&s.ChannelLimit, u.ChannelLimit)
	set(&s.BandwidthLimitKbps, u.BandwidthLimitKbps)
	set(&s.PollIntervalS, u.PollIntervalS)
	set(&s.TimeoutS, u.TimeoutS)
	set(&s.Autobalancer, u.Autobalancer)
	set(&s.Enabled, u.Enabled)
	set(&s.Attributes, u.Attributes)
	s.Name = strings.TrimSpace(s.Name)
	return s
}

// ApplyCredentials returns c with the credential fields set in u.
func (u StreamerUpdate) ApplyCredentials(c StreamerCredentials) StreamerCredentials {
	set(&c.APILogin, u.APILogin)
	set(&c.APIPassword, u.APIPassword)
	set(&c.APIKey, u.APIKey)
	return c
}

// StreamerFilter selects streamers in a list; zero fields do not filter.
// Lists sort by name (default) or id.
type StreamerFilter struct {
	Role    string `query:"role"`
	Enabled *bool  `query:"enabled"`
}

// set copies *p into *dst when p is not nil; PATCH types apply with it.
func set[T any](dst *T, p *T) {
	if p != nil {
		*dst = *p
	}
}
