package api

import (
	"encoding/json"
	"net/netip"
	"strings"
	"time"
)

// Subscriber statuses. A disabled subscriber is paused (e.g. unpaid); a
// banned one was shut out by an operator. Neither may play.
const (
	StatusActive   = "active"
	StatusDisabled = "disabled"
	StatusBanned   = "banned"
)

// Subscriber is a viewer account. Password is write-only: it is accepted on
// create and update and never returned. Token is the playback token that
// playlist and stream URLs carry; admins and the owning reseller see it.
//
// Xtream-Codes lines map here as: username → login, password → password,
// exp_date → expires_at, max_connections → max_sessions, admin_enabled=0 →
// status banned, enabled=0 → status disabled, admin_notes → notes, member_id
// → reseller_id, bouquet → package_ids (through the imported packages),
// allowed_ips/allowed_ua → allowed_ips/allowed_user_agents, is_trial → trial,
// contact → contact. Everything else that has no column (is_restreamer,
// is_mag, is_e2, is_isplock, forced_country, force_server_id, reseller_notes,
// play_token, access_token, the XC id) lives in Attributes under the XC
// column name, so nothing a panel knew is lost.
type Subscriber struct {
	ID          int64      `json:"id"`
	Login       string     `json:"login"`
	Password    string     `json:"password,omitempty"`
	Name        string     `json:"name"`
	Contact     string     `json:"contact"`
	Token       string     `json:"token"`
	Status      string     `json:"status"`
	ExpiresAt   *time.Time `json:"expires_at"`
	MaxSessions int        `json:"max_sessions"`
	PackageIDs  []int64    `json:"package_ids"`
	AllowedIPs  []string   `json:"allowed_ips"`
	// AllowedUserAgents are rules on the player's user agent: a bare rule
	// is a substring matched case-insensitively; "=Agent/1.0" matches that
	// whole agent exactly, as an XC panel's allowed_ua does.
	AllowedUserAgents []string        `json:"allowed_user_agents"`
	Notes             string          `json:"notes"`
	ResellerID        *int64          `json:"reseller_id"`
	Balance           float64         `json:"balance"`
	PaymentInfo       string          `json:"payment_info"`
	Trial             bool            `json:"trial"`
	Attributes        json.RawMessage `json:"attributes,omitempty"`
	Version           int             `json:"version"`
	CreatedAt         time.Time       `json:"created_at"`
	UpdatedAt         time.Time       `json:"updated_at"`
	// PlaylistURL (HLS M3U), PlaylistTSURL (MPEG-TS M3U), EPGURL (gzipped
	// XMLTV) and PortalURL are what a
	// billing system hands the subscriber, built by the admin API from the
	// external URL setting so nobody else has to know the paths. The first
	// three carry the token, so they are secrets like it.
	PlaylistURL   string `json:"playlist_url,omitempty"`
	PlaylistTSURL string `json:"playlist_ts_url,omitempty"`
	EPGURL        string `json:"epg_url,omitempty"`
	PortalURL     string `json:"portal_url,omitempty"`
	// TunerToken names the subscriber's HDHomeRun tuner; TunerURL is its
	// base URL, which the subscriber pastes into Plex or Jellyfin. Secrets
	// like Token, reset apart from it (POST /subscribers/{id}/reset-tuner).
	TunerToken string `json:"tuner_token,omitempty"`
	TunerURL   string `json:"tuner_url,omitempty"`
	// Tuners are the subscriber's tuners: the whole line-up's (TunerURL)
	// first, then one per package they hold, in PackageIDs' order.
	Tuners []Tuner `json:"tuners,omitempty"`
}

// Validate checks a subscriber about to be created. The password is
// required on create (see SubscriberUpdate for changes).
func (s Subscriber) Validate() error {
	f := FieldErrors{}
	validateLogin(f, "login", s.Login)
	if s.Password == "" {
		f.Add("password", "required")
	}
	validateSubscriberFields(f, s.Status, s.MaxSessions, s.AllowedIPs, s.Attributes)
	return f.Err()
}

// MaxLoginLen is the longest login of any account, in bytes. Sign-in
// surfaces refuse a longer one before looking it up or counting it: it
// cannot succeed, and what is typed must not size what the server keeps.
const MaxLoginLen = 128

const loginTooLong = "at most 128 characters"

// CheckLogin returns CodeInvalid naming field when login is not one Canale
// gives a new account.
func CheckLogin(field, login string) error {
	f := FieldErrors{}
	validateLogin(f, field, login)
	return f.Err()
}

func validateLogin(f FieldErrors, field, login string) {
	switch {
	case strings.TrimSpace(login) == "":
		f.Add(field, "required")
	case login != strings.TrimSpace(login) || strings.ContainsAny(login, "/?#&% \t"):
		f.Add(field, "must not contain spaces or any of / ? # & %")
	case len(login) > MaxLoginLen:
		f.Add(field, loginTooLong)
	}
}

func validateSubscriberFields(f FieldErrors, status string, maxSessions int, ips []string, attrs json.RawMessage) {
	if status != "" && !ValidSubscriberStatus(status) {
		f.Add("status", "must be active, disabled or banned")
	}
	if maxSessions < 0 {
		f.Add("max_sessions", "must be 0 (no limit) or more")
	}
	for _, ip := range ips {
		if !validIPOrPrefix(ip) {
			f.Add("allowed_ips", "not an IP address or CIDR: "+ip)
		}
	}
	if len(attrs) > 0 && !isJSONObject(attrs) {
		f.Add("attributes", "must be a JSON object")
	}
}

// ValidSubscriberStatus reports whether s is a known subscriber status.
func ValidSubscriberStatus(s string) bool {
	return s == StatusActive || s == StatusDisabled || s == StatusBanned
}

func validIPOrPrefix(s string) bool {
	if _, err := netip.ParseAddr(s); err == nil {
		return true
	}
	_, err := netip.ParsePrefix(s)
	return err == nil
}

func isJSONObject(b json.RawMessage) bool {
	var m map[string]any
	return json.Unmarshal(b, &m) == nil
}

// SubscriberUpdate is a partial change of a subscriber (PATCH): nil fields
// stay as they are. Version must be the version the caller read. To clear
// the expiry, set ClearExpiry (a null expires_at cannot be told from an
// absent one in JSON).
type SubscriberUpdate struct {
	Login             *string          `json:"login,omitempty"`
	Password          *string          `json:"password,omitempty"`
	Name              *string          `json:"name,omitempty"`
	Contact           *string          `json:"contact,omitempty"`
	Status            *string          `json:"status,omitempty"`
	ExpiresAt         *time.Time       `json:"expires_at,omitempty"`
	ClearExpiry       bool             `json:"clear_expiry,omitempty"`
	MaxSessions       *int             `json:"max_sessions,omitempty"`
	PackageIDs        *[]int64         `json:"package_ids,omitempty"`
	AllowedIPs        *[]string        `json:"allowed_ips,omitempty"`
	AllowedUserAgents *[]string        `json:"allowed_user_agents,omitempty"`
	Notes             *string          `json:"notes,omitempty"`
	ResellerID        *int64           `json:"reseller_id,omitempty"` // 0 detaches from any reseller
	Balance           *float64         `json:"balance,omitempty"`
	PaymentInfo       *string          `json:"payment_info,omitempty"`
	Trial             *bool            `json:"trial,omitempty"`
	Attributes        *json.RawMessage `json:"attributes,omitempty"`
	Version           int              `json:"version"`
}

// SubscriberFilter narrows a subscriber list; zero fields do not filter.
// ResellerID is forced to the caller's own id when a reseller lists.
type SubscriberFilter struct {
	Status        string    `json:"status,omitempty" query:"status"`
	PackageID     int64     `json:"package_id,omitempty" query:"package_id"`
	ResellerID    int64     `json:"reseller_id,omitempty" query:"reseller_id"`
	ExpiresBefore time.Time `json:"expires_before,omitzero" query:"expires_before"`
}

// SubscriberSorts are the sort keys of the subscriber list (prefix "-" for
// descending is not supported: each is a keyset on (key, id) ascending).
var SubscriberSorts = []string{"id", "login", "name", "expires_at"}

// ExtendRequest is the body of POST /subscribers/{id}/extend: either a
// package (whose period_days is added, and which the subscriber then holds)
// or a number of days (admins only: days have no price in credits).
type ExtendRequest struct {
	PackageID int64 `json:"package_id,omitempty"`
	Days      int   `json:"days,omitempty"`
}

// Validate checks that exactly one of package_id and days is given.
func (r ExtendRequest) Validate() error {
	f := FieldErrors{}
	switch {
	case r.PackageID == 0 && r.Days == 0:
		f.Add("package_id", "give package_id or days")
	case r.PackageID != 0 && r.Days != 0:
		f.Add("days", "give package_id or days, not both")
	case r.PackageID < 0:
		f.Add("package_id", "must be a positive id")
	case r.Days < 0 || r.Days > 36600:
		f.Add("days", "must be between 1 and 36600")
	}
	return f.Err()
}
