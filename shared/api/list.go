package api

// Page is one page of a list answer. Lists page by keyset, not OFFSET, so a
// page deep into a million subscribers costs the same as the first: pass Next
// back as the cursor to get the following page; it is empty on the last page.
type Page[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next,omitempty"`
}

// ListParams are the paging, search and sort parameters every list endpoint
// accepts (?cursor=&limit=&q=&sort=). Sort names a field, with a leading "-"
// for descending; each endpoint documents the fields it sorts by.
type ListParams struct {
	Cursor string `json:"cursor,omitempty"`
	Limit  int    `json:"limit,omitempty"`
	Query  string `json:"q,omitempty"`
	Sort   string `json:"sort,omitempty"`
}

// DefaultLimit and MaxLimit bound the page size.
const (
	DefaultLimit = 50
	MaxLimit     = 1000
)

// PageLimit returns the effective page size of p.
func (p ListParams) PageLimit() int {
	switch {
	case p.Limit <= 0:
		return DefaultLimit
	case p.Limit > MaxLimit:
		return MaxLimit
	}
	return p.Limit
}
