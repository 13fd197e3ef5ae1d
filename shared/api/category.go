package api

import (
	"strings"
	"time"
)

// Category kinds.
const (
	CategoryLive = "live"
	CategoryVOD  = "vod"
)

// Category groups channels (kind live), VOD items (kind vod) or series
// (kind series). XC players
// list categories by id, so ids stay stable.
type Category struct {
	ID         int64          `json:"id"`
	Kind       string         `json:"kind"`
	Name       string         `json:"name"`
	Position   int            `json:"position"`
	Attributes map[string]any `json:"attributes,omitempty"`
	Version    int            `json:"version"`
	CreatedAt  time.Time      `json:"created_at"`
	UpdatedAt  time.Time      `json:"updated_at"`
}

// Validate checks the category's fields; an empty kind means live.
func (c Category) Validate() error {
	f := FieldErrors{}
	if c.Kind != CategoryLive && c.Kind != CategoryVOD && c.Kind != CategorySeries {
		f.Add("kind", "must be live, vod or series")
	}
	checkName(f, "name", c.Name, 200)
	return f.Err()
}

// Normalize trims the name and defaults the kind to live.
func (c Category) Normalize() Category {
	c.Name = strings.TrimSpace(c.Name)
	if c.Kind == "" {
		c.Kind = CategoryLive
	}
	return c
}

// CategoryUpdate is the body of PATCH /api/v1/categories/{id}.
type CategoryUpdate struct {
	Kind       *string         `json:"kind,omitempty"`
	Name       *string         `json:"name,omitempty"`
	Position   *int            `json:"position,omitempty"`
	Attributes *map[string]any `json:"attributes,omitempty"`
	Version    int             `json:"version"`
}

// Apply returns c with the set fields of u.
func (u CategoryUpdate) Apply(c Category) Category {
	set(&c.Kind, u.Kind)
	set(&c.Name, u.Name)
	set(&c.Position, u.Position)
	set(&c.Attributes, u.Attributes)
	return c.Normalize()
}

// CategoryFilter selects categories; lists sort by position (default) or name.
type CategoryFilter struct {
	Kind string `query:"kind"`
}
