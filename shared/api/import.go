package api

// ImportLine is one line of an import that was skipped or rejected, with its
// 1-based line number (an M3U's #EXTINF or URL line; a CSV's header is line 1).
type ImportLine struct {
	Line   int    `json:"line"`
	Name   string `json:"name,omitempty"`
	Reason string `json:"reason"`
}

// ImportReport is the answer of the bulk imports (POST /channels/import,
// POST /subscribers/import). Skipped lines were left alone on purpose (the
// channel or login exists); errors are bad lines. In strict mode any error
// means nothing was changed.
type ImportReport struct {
	Total             int          `json:"total"`
	Created           int          `json:"created"`
	Updated           int          `json:"updated"`
	CategoriesCreated int          `json:"categories_created,omitempty"`
	Hashed            int          `json:"hashed,omitempty"` // subscriber passwords hashed with the import parameters
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
