package api

// AuditFilter selects audit records; zero fields do not filter. It lives
// here, not in the store, so the store, the handler and the client take the
// same type. The audit log pages like every list (ListParams, Page), newest
// first.
type AuditFilter struct {
	Entity   Entity `json:"entity,omitempty" query:"entity"`
	EntityID string `json:"entity_id,omitempty" query:"entity_id"`
}
