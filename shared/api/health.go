package api

// Health is the body of /readyz: whether this instance can serve, and why not.
type Health struct {
	Status     string `json:"status"` // "ok" or "unavailable"
	Database   string `json:"database,omitempty"`
	Migrations string `json:"migrations,omitempty"`
	Version    string `json:"version,omitempty"`
}
