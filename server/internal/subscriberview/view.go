package subscriberview

import (
	"time"

	"canale/shared/api"
)

// Versioned is a directory whose line-ups can be cached: Version changes
// whenever any subscriber's line-up may have changed apart from the
// subscriber's own row, whose Version (with its Token) covers the rest.
type Versioned interface {
	Version() uint64
}

// Access is what a subscriber's account allows right now.
type Access int

// Access values, most permissive first.
const (
	AccessActive Access = iota
	AccessExpired
	AccessDisabled
	AccessBanned
)

// String returns the status word Xtream clients expect.
func (a Access) String() string {
	return [...]string{"Active", "Expired", "Disabled", "Banned"}[a]
}

// Subscriber is an account as the subscriber-facing surfaces see it.
type Subscriber struct {
	ID           int64
	Login        string
	PasswordHash string // argon2id; only Authenticator looks at it
	Name         string
	Token        string // current playback token
	Status       string // active, disabled, banned
	ExpiresAt    time.Time
	MaxSessions  int // 0: no limit
	Balance      string
	PaymentInfo  string
	Trial        bool
	Version      int
	CreatedAt    time.Time
	// LinkBase is the base URL of the subscriber's links when its reseller
	// has a DNS of its own (XC reseller_dns); "" for the server's.
	LinkBase string
	// DeviceOnly are the XC device-only flags of the line (api.DeviceOnly).
	DeviceOnly api.DeviceOnly
}

// Access reports whether the account may watch at now, and if not, why. A
// ban or a disable outranks an expiry, because renewing would not help.
func (s Subscriber) Access(now time.Time) Access {
	switch {
	case s.Status == "banned":
		return AccessBanned
	case s.Status != "active":
		return AccessDisabled
	case !s.ExpiresAt.IsZero() && !now.Before(s.ExpiresAt):
		return AccessExpired
	}
	return AccessActive
}

// Package is a package a subscriber holds.
type Package struct {
	ID          int64
	Name        string
	Description string
	Price       string
	Currency    string
	PeriodDays  int
}

// Channel is a live channel a subscriber may watch.
type Channel struct {
	ID           int64
	Name         string // stream name on the streamers; the balancer path
	Title        string
	LogoURL      string // external logo, if any
	HasLogo      bool   // an uploaded logo exists
	CategoryID   int64  // 0: none
	Number       int
	EPGChannelID string
	DVRDays      int
	Added        time.Time
}

// VOD is a video-on-demand item a subscriber may watch.
type VOD struct {
	ID          int64
	Title       string
	StreamName  string
	Container   string
	CategoryID  int64
	PosterURL   string
	Description string
	DurationS   int
	Year        int
	Rating      float64 // 0–10
	Added       time.Time
	// OriginalTitle and Metadata fill get_vod_info and the VOD list fields.
	OriginalTitle string
	Metadata      api.Metadata
}

// Category is a live or VOD category.
type Category struct {
	ID   int64
	Name string
}

// Lineup is everything one subscriber may watch, in display order, with the
// categories that hold at least one of their items.
type Lineup struct {
	Channels       []Channel
	VOD            []VOD
	LiveCategories []Category
	VODCategories  []Category
	// Series are the enabled series of the subscriber's packages by title;
	// SeriesCategories the categories holding any of them.
	Series           []*Series
	SeriesCategories []Category
}

// Channel returns the channel with that id, if the subscriber may watch it.
func (l Lineup) Channel(id int64) (Channel, bool) {
	for _, c := range l.Channels {
		if c.ID == id {
			return c, true
		}
	}
	return Channel{}, false
}

// VODItem returns the VOD item with that id, if the subscriber may watch it.
func (l Lineup) VODItem(id int64) (VOD, bool) {
	for _, v := range l.VOD {
		if v.ID == id {
			return v, true
		}
	}
	return VOD{}, false
}

// CategoryName returns the name of a live or VOD category, "" when unknown.
func (l Lineup) CategoryName(id int64) string {
	for _, cs := range [][]Category{l.LiveCategories, l.VODCategories, l.SeriesCategories} {
		for _, c := range cs {
			if c.ID == id {
				return c.Name
			}
		}
	}
	return ""
}
