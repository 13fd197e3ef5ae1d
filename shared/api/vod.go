package api

import (
	"strings"
	"time"
)

// VOD is a movie or other on-demand item. It plays either from a stream on
// the streamers (StreamName) or from a file URL (SourceURL).
type VOD struct {
	ID          int64          `json:"id"`
	Title       string         `json:"title"`
	StreamName  string         `json:"stream_name"`
	SourceURL   string         `json:"source_url"`
	Container   string         `json:"container"`
	CategoryID  *int64         `json:"category_id"`
	PosterURL   string         `json:"poster_url"`
	Description string         `json:"description"`
	DurationS   int            `json:"duration_s"`
	Year        int            `json:"year"`
	Rating      float64        `json:"rating"`
	Enabled     bool           `json:"enabled"`
	Attributes  map[string]any `json:"attributes,omitempty"`
	// OriginalTitle and Metadata are what XC apps show in a movie's details.
	OriginalTitle string `json:"original_title"`
	Metadata
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// VODCreate is the body of POST /api/v1/vod; a nil Enabled means enabled and
// an empty container means mp4.
type VODCreate struct {
	Title         string         `json:"title"`
	StreamName    string         `json:"stream_name"`
	SourceURL     string         `json:"source_url"`
	Container     string         `json:"container"`
	CategoryID    *int64         `json:"category_id"`
	PosterURL     string         `json:"poster_url"`
	Description   string         `json:"description"`
	DurationS     int            `json:"duration_s"`
	Year          int            `json:"year"`
	Rating        float64        `json:"rating"`
	Enabled       *bool          `json:"enabled"`
	Attributes    map[string]any `json:"attributes,omitempty"`
	OriginalTitle string         `json:"original_title"`
	Metadata
}

// VOD returns the item described by c.
func (c VODCreate) VOD() VOD {
	v := VOD{Title: c.Title, StreamName: c.StreamName, SourceURL: c.SourceURL, Container: c.Container,
		CategoryID: c.CategoryID, PosterURL: c.PosterURL, Description: c.Description, DurationS: c.DurationS,
		Year: c.Year, Rating: c.Rating, Enabled: c.Enabled == nil || *c.Enabled, Attributes: c.Attributes,
		OriginalTitle: c.OriginalTitle, Metadata: c.Metadata}
	return v.normalize()
}

func (v VOD) normalize() VOD {
	v.Title = strings.TrimSpace(v.Title)
	if v.Container == "" {
		v.Container = "mp4"
	}
	if v.CategoryID != nil && *v.CategoryID == 0 {
		v.CategoryID = nil
	}
	v.OriginalTitle = strings.TrimSpace(v.OriginalTitle)
	v.Metadata = v.Metadata.normalize()
	return v
}

// Validate checks the item's fields; messages name the JSON field.
func (v VOD) Validate() error {
	f := FieldErrors{}
	checkName(f, "title", v.Title, 500)
	validatePlayable(f, v.StreamName, v.SourceURL, v.Container)
	checkURL(f, "poster_url", v.PosterURL, true)
	if len([]rune(v.OriginalTitle)) > 500 {
		f.Add("original_title", "too long")
	}
	v.Metadata.validate(f)
	checkNonNegative(f, "duration_s", int64(v.DurationS))
	if v.Year < 0 || v.Year > 3000 {
		f.Add("year", "must be between 0 and 3000")
	}
	if v.Rating < 0 || v.Rating >= 100 {
		f.Add("rating", "must be between 0 and 99.99")
	}
	return f.Err()
}

// VODUpdate is the body of PATCH /api/v1/vod/{id}; a CategoryID of 0 clears it.
type VODUpdate struct {
	Title         *string         `json:"title,omitempty"`
	StreamName    *string         `json:"stream_name,omitempty"`
	SourceURL     *string         `json:"source_url,omitempty"`
	Container     *string         `json:"container,omitempty"`
	CategoryID    *int64          `json:"category_id,omitempty"`
	PosterURL     *string         `json:"poster_url,omitempty"`
	Description   *string         `json:"description,omitempty"`
	DurationS     *int            `json:"duration_s,omitempty"`
	Year          *int            `json:"year,omitempty"`
	Rating        *float64        `json:"rating,omitempty"`
	Enabled       *bool           `json:"enabled,omitempty"`
	Attributes    *map[string]any `json:"attributes,omitempty"`
	OriginalTitle *string         `json:"original_title,omitempty"`
	MetadataUpdate
	Version int `json:"version"`
}

// Apply returns v with the set fields of u.
func (u VODUpdate) Apply(v VOD) VOD {
	set(&v.Title, u.Title)
	set(&v.StreamName, u.StreamName)
	set(&v.SourceURL, u.SourceURL)
	set(&v.Container, u.Container)
	if u.CategoryID != nil {
		v.CategoryID = u.CategoryID
	}
	set(&v.PosterURL, u.PosterURL)
	set(&v.Description, u.Description)
	set(&v.DurationS, u.DurationS)
	set(&v.Year, u.Year)
	set(&v.Rating, u.Rating)
	set(&v.Enabled, u.Enabled)
	set(&v.Attributes, u.Attributes)
	set(&v.OriginalTitle, u.OriginalTitle)
	v.Metadata = u.MetadataUpdate.Apply(v.Metadata)
	return v.normalize()
}

// VODFilter selects VOD items; lists search ?q= as a title prefix and sort by
// title (default) or id.
type VODFilter struct {
	CategoryID int64 `query:"category_id"`
	Enabled    *bool `query:"enabled"`
}
