package api

// AuditFilter selects audit records; zero fields do not filter. It lives
// here, not in the store, so the store, the handler and the client take the
// same type. Records come newest first; BeforeID pages backwards (keyset,
// not OFFSET), so the audit log is a bare list paged by before_id rather
// than a Page.
type AuditFilter struct {
	Entity   Entity
	EntityID string
	BeforeID int64
	Limit    int
}
