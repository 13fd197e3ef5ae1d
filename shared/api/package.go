package api

import (
	"strconv"
	"strings"
	"time"
)

// Package is a named set of channels and VOD items sold as one item. A free
// package's channels go to every subscriber.
type Package struct {
	ID          int64          `json:"id"`
	Name        string         `json:"name"`
	Description string         `json:"description"`
	Price       string         `json:"price"` // decimal, e.g. "9.99"; a string so no cent is lost to floats
	Currency    string         `json:"currency"`
	PeriodDays  int            `json:"period_days"`
	MaxSessions int            `json:"max_sessions"` // streams at once a subscriber gets from it (resellers' sales); at least 1
	Free        bool           `json:"free"`
	ChannelIDs  []int64        `json:"channel_ids"`
	VODIDs      []int64        `json:"vod_ids"`
	Attributes  map[string]any `json:"attributes,omitempty"`
	SeriesIDs   []int64        `json:"series_ids"` // whole series, as XC bouquets hold them
	Version     int            `json:"version"`
	CreatedAt   time.Time      `json:"created_at"`
	UpdatedAt   time.Time      `json:"updated_at"`
}

// Normalize applies defaults: price 0, period 30 days, one session, empty
// id lists.
func (p Package) Normalize() Package {
	p.Name = strings.TrimSpace(p.Name)
	p.Currency = strings.ToUpper(strings.TrimSpace(p.Currency))
	if p.Price == "" {
		p.Price = "0"
	}
	if p.PeriodDays == 0 {
		p.PeriodDays = 30
	}
	if p.MaxSessions == 0 {
		p.MaxSessions = 1
	}
	if p.ChannelIDs == nil {
		p.ChannelIDs = []int64{}
	}
	if p.VODIDs == nil {
		p.VODIDs = []int64{}
	}
	if p.SeriesIDs == nil {
		p.SeriesIDs = []int64{}
	}
	return p
}

// Validate checks the package's fields; that the channels and VOD items exist
// is the store's check.
func (p Package) Validate() error {
	f := FieldErrors{}
	checkName(f, "name", p.Name, 200)
	if v, err := strconv.ParseFloat(p.Price, 64); err != nil || v < 0 || v >= 1e12 {
		f.Add("price", "must be a non-negative decimal number")
	}
	if p.Currency != "" && len(p.Currency) != 3 {
		f.Add("currency", "must be a three-letter ISO 4217 code")
	}
	if p.PeriodDays <= 0 {
		f.Add("period_days", "must be positive")
	}
	if p.MaxSessions < 1 {
		f.Add("max_sessions", "must be 1 or more")
	}
	if hasDuplicate(p.ChannelIDs) {
		f.Add("channel_ids", "lists a channel twice")
	}
	if hasDuplicate(p.VODIDs) {
		f.Add("vod_ids", "lists a VOD item twice")
	}
	if hasDuplicate(p.SeriesIDs) {
		f.Add("series_ids", "lists a series twice")
	}
	return f.Err()
}

func hasDuplicate(ids []int64) bool {
	seen := make(map[int64]bool, len(ids))
	for _, id := range ids {
		if seen[id] {
			return true
		}
		seen[id] = true
	}
	return false
}

// PackageUpdate is the body of PATCH /api/v1/packages/{id}; id lists, when
// set, replace the whole list.
type PackageUpdate struct {
	Name        *string         `json:"name,omitempty"`
	Description *string         `json:"description,omitempty"`
	Price       *string         `json:"price,omitempty"`
	Currency    *string         `json:"currency,omitempty"`
	PeriodDays  *int            `json:"period_days,omitempty"`
	MaxSessions *int            `json:"max_sessions,omitempty"`
	Free        *bool           `json:"free,omitempty"`
	ChannelIDs  *[]int64        `json:"channel_ids,omitempty"`
	VODIDs      *[]int64        `json:"vod_ids,omitempty"`
	Attributes  *map[string]any `json:"attributes,omitempty"`
	SeriesIDs   *[]int64        `json:"series_ids,omitempty"`
	Version     int             `json:"version"`
}

// Apply returns p with the set fields of u.
func (u PackageUpdate) Apply(p Package) Package {
	set(&p.Name, u.Name)
	set(&p.Description, u.Description)
	set(&p.Price, u.Price)
	set(&p.Currency, u.Currency)
	set(&p.PeriodDays, u.PeriodDays)
	set(&p.MaxSessions, u.MaxSessions)
	set(&p.Free, u.Free)
	set(&p.ChannelIDs, u.ChannelIDs)
	set(&p.VODIDs, u.VODIDs)
	set(&p.Attributes, u.Attributes)
	set(&p.SeriesIDs, u.SeriesIDs)
	return p.Normalize()
}

// PackageFilter selects packages; ChannelID keeps those holding it.
type PackageFilter struct {
	ChannelID int64 `query:"channel_id"`
	Free      *bool `query:"free"`
}

func itoa(i int) string { return strconv.Itoa(i) }
