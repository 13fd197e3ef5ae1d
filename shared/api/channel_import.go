package api

// ImportLine is one line of an import that was skipped or rejected, with the
// 1-based line number of its #EXTINF (or URL) line in the playlist.
type ImportLine struct {
	Line   int    `json:"line"`
	Name   string `json:"name,omitempty"`
	Reason string `json:"reason"`
}

// ImportReport is the answer of POST /api/v1/channels/import. Existing
// channels (same stream name) are updated unless the import asked to skip
// them. In strict mode any error means nothing was changed (Applied false).
type ImportReport struct {
	Total             int          `json:"total"`
	Created           int          `json:"created"`
	Updated           int          `json:"updated"`
	CategoriesCreated int          `json:"categories_created"`
	Skipped           []ImportLine `json:"skipped"`
	Errors            []ImportLine `json:"errors"`
	DryRun            bool         `json:"dry_run"`
	Applied           bool         `json:"applied"`
}

// ImportOptions are the query parameters of POST /api/v1/channels/import.
type ImportOptions struct {
	Strict       bool `json:"strict"`        // any bad line rejects the whole file
	DryRun       bool `json:"dry_run"`       // report what would happen, change nothing
	SkipExisting bool `json:"skip_existing"` // leave channels with the same name as they are
}
