package catalog

import (
	"net/netip"
	"strings"
	"time"

	"canale/server/internal/store"
	"canale/shared/api"
)

// Subscriber statuses, as in the subscribers table.
const (
	StatusActive   = "active"
	StatusDisabled = "disabled"
	StatusBanned   = "banned"
)

// Subscriber is one subscriber as the hot paths need it. Values are never
// modified after publication; an update publishes a new value.
type Subscriber struct {
	ID                int64
	ResellerID        int64 // 0: sold by the operator
	Login             string
	PasswordHash      string
	Token             string
	Status            string    // StatusActive, StatusDisabled or StatusBanned
	ExpiresAt         time.Time // zero: never expires
	MaxSessions       int       // 0: no limit
	AllowedIPs        []netip.Prefix
	AllowedUserAgents []string // lower-case substrings, or "=" and an exact agent

	PackageIDs []int64 // sorted
	// What the subscriber-facing surfaces show; Version changes with every
	// write of the row (token, packages, expiry...), so it keys caches.
	Name        string
	Balance     string
	PaymentInfo string
	Trial       bool
	Version     int
	CreatedAt   time.Time
	DeviceOnly  api.DeviceOnly // XC device-only line flags, decoded at load
}

// Expired reports whether the subscription has run out at now.
func (s *Subscriber) Expired(now time.Time) bool {
	return !s.ExpiresAt.IsZero() && !now.Before(s.ExpiresAt)
}

// IPAllowed reports whether the subscriber may play from ip: any address
// when no rule is set.
func (s *Subscriber) IPAllowed(ip netip.Addr) bool {
	if len(s.AllowedIPs) == 0 {
		return true
	}
	ip = ip.Unmap()
	for _, p := range s.AllowedIPs {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// UserAgentAllowed reports whether ua matches one of the rules: a rule is a
// substring matched case-insensitively, or, written "=agent", the whole
// user agent exactly (as XC's allowed_ua compares it). Any agent passes when
// no rule is set.
func (s *Subscriber) UserAgentAllowed(ua string) bool {
	if len(s.AllowedUserAgents) == 0 {
		return true
	}
	lower := ""
	for _, rule := range s.AllowedUserAgents {
		if exact, ok := strings.CutPrefix(rule, "="); ok {
			if ua == exact {
				return true
			}
			continue
		}
		if lower == "" {
			lower = strings.ToLower(ua)
		}
		if strings.Contains(lower, rule) {
			return true
		}
	}
	return false
}

// Channel is a channel as the hot paths need it: its row as the store reads
// it (one definition of the fields) and the packages that hold it.
type Channel struct {
	store.ReadChannel
	// packages are the ids of the paid packages holding the channel,
	// sorted, and inFreePackage says a free package holds it: together
	// they answer Entitled without a map lookup per package.
	packages      []int64
	inFreePackage bool
}

// Category is a live or VOD category, as the store reads it.
type Category = store.ReadCategory

// VOD is one video-on-demand item, as the store reads it.
type VOD = store.ReadVOD

// Package is a package with its channels and VOD in position order (its
// row as the store reads it), indexed for membership tests.
type Package struct {
	store.ReadPackage
	channels map[int64]struct{}
	vod      map[int64]struct{}
}

// HasChannel reports whether the package holds the channel.
func (p *Package) HasChannel(id int64) bool { _, ok := p.channels[id]; return ok }

// HasVOD reports whether the package holds the VOD item.
func (p *Package) HasVOD(id int64) bool { _, ok := p.vod[id]; return ok }

// Reseller is what authorization needs of a reseller.
type Reseller struct {
	ID       int64
	ParentID int64
	Active   bool
	// LinkBase is the base URL its customers' links carry (from its DNS);
	// "" for the server's own.
	LinkBase string
}

// Streamer is a registered streamer with what Canale needs to recognise its
// requests (Hosts: the host parts of its URLs) and to call its API.
type Streamer struct {
	store.ReadStreamer
	Hosts []string
}

// Session policies: what happens to a new session past the limit.
const (
	PolicyRefuseNewest = "refuse_newest"
	PolicyEndOldest    = "end_oldest"
)

// Settings are the installation's settings, with the keys of the data
// document that the hot paths read already parsed.
type Settings struct {
	ExternalURL    string
	StreamerSecret string
	// AuthDuration is X-AuthDuration (data.auth_duration_s; default 60 s).
	AuthDuration time.Duration
	// SessionPolicy is data.session_policy: PolicyRefuseNewest (default) or PolicyEndOldest.
	SessionPolicy string
	// PublishKey is data.publish_key: the key a publisher must present; empty refuses publishing.
	PublishKey string
	// Data is the whole data document.
	Data map[string]any
}
