package api

import (
	"encoding/json"
	"time"
)

// AuditEntry records one administrative change: who did what to which
// entity, and the entity before and after (as JSON, nil when absent).
type AuditEntry struct {
	ID         int64           `json:"id"`
	At         time.Time       `json:"at"`
	ActorKind  string          `json:"actor_kind"` // "admin", "reseller", "system"
	ActorID    int64           `json:"actor_id,omitempty"`
	ActorLogin string          `json:"actor_login"`
	Action     string          `json:"action"` // "create", "update", "delete", or a verb such as "reset_token"
	Entity     Entity          `json:"entity"` // the Change entity: EntitySubscriber, EntityChannel
	EntityID   string          `json:"entity_id"`
	Before     json.RawMessage `json:"before,omitempty"`
	After      json.RawMessage `json:"after,omitempty"`
	ClientIP   string          `json:"client_ip,omitempty"`
}

// Actor is who makes a change, carried from the HTTP boundary to the store so
// the audit record is written in the same transaction as the change.
type Actor struct {
	Kind     string // "admin", "reseller" or "system"
	ID       int64
	Login    string
	ClientIP string
}

// SystemActor is the actor of changes made by Canale itself (setup, imports).
func SystemActor(what string) Actor { return Actor{Kind: "system", Login: what} }
