package api

import (
	"encoding/json"
	"fmt"
	"time"
)

// Event is the envelope of everything pushed to desktop apps over the event
// websocket: catalog changes, health transitions, session counts and alerts.
type Event struct {
	Type string          `json:"type"`
	At   time.Time       `json:"at"`
	Data json.RawMessage `json:"data,omitempty"`
}

// NewEvent wraps data, encoded as JSON, in an Event of type typ stamped now.
func NewEvent(typ string, data any) (Event, error) {
	b, err := json.Marshal(data)
	if err != nil {
		return Event{}, fmt.Errorf("encode %s event: %w", typ, err)
	}
	return Event{Type: typ, At: time.Now().UTC(), Data: b}, nil
}

// Change describes a committed change of one entity. It travels in PostgreSQL
// NOTIFY payloads (so every instance refreshes its read model) and, wrapped in
// an Event of type EventChange, to desktop apps.
type Change struct {
	Entity Entity `json:"entity"`
	ID     string `json:"id,omitempty"`
	Op     Op     `json:"op"`
}

// Entity names what a Change (and an audit row) is about: a table-like name
// such as "subscriber", or EntityAll. The values are on the wire and in
// stored audit rows, so they never change. It is a string type so that an
// untyped string constant is an Entity without conversion.
type Entity string

// Entities of changes and audit rows, one per table the admin API writes.
const (
	EntityAll         Entity = "*" // every entity: Op is OpReset or OpResync
	EntityAdmin       Entity = "admin"
	EntityAlert       Entity = "alert" // Op OpAck; ID is AlertAckID's
	EntityBackup      Entity = "backup"
	EntityCatalog     Entity = "catalog" // audit only: an XC import or a seed
	EntityCategory    Entity = "category"
	EntityChannel     Entity = "channel"
	EntityEPGSource   Entity = "epg_source"
	EntityPackage     Entity = "package"
	EntityPipeline    Entity = "pipeline"
	EntityPlacement   Entity = "placement"    // every instance's fleet manager reloads
	EntityPlaySession Entity = "play_session" // Op OpDelete: an administrator killed it
	EntityReseller    Entity = "reseller"
	EntitySettings    Entity = "settings"
	EntityStreamer    Entity = "streamer"
	EntitySubscriber  Entity = "subscriber"
	EntityTLS         Entity = "tls"
	EntityVOD         Entity = "vod"
)

// Op names what happened to the entity of a Change. Like Entity, its values
// are on the wire and untyped string constants convert without a cast.
type Op string

// Ops of a Change.
const (
	OpCreate Op = "create"
	OpUpdate Op = "update"
	OpDelete Op = "delete"
	// OpRekey: an admin's credentials changed; their tokens may be revoked.
	OpRekey Op = "rekey"
	// OpAck: alerts were acknowledged (EntityAlert).
	OpAck Op = "ack"
	// OpResolve: a recovery closed a trouble alert (EntityAlert); the Change
	// ID is the closed alert's ID, which desktops show resolved.
	OpResolve Op = "resolve"
	// OpReset: the data was replaced wholesale (setup reset, a seed, an
	// import); ids may start again from 1, so read everything again.
	OpReset Op = "reset"
	// OpResync: changes may have been missed (the listener reconnected, a
	// queue overflowed); compare versions and read again what differs.
	OpResync Op = "resync"
)

// Audit actions that name what happened more precisely than the Change's
// Op (a token reset is an update) or that only the audit log records (an
// import, a seed). They are stored in audit rows, so they never change.
const (
	OpResetToken             Op = "reset_token"
	OpEnable                 Op = "enable"
	OpDisable                Op = "disable"
	OpBan                    Op = "ban"
	OpExtend                 Op = "extend"
	OpResetTuner             Op = "reset_tuner"
	OpChangePassword         Op = "change_password"
	OpGenerateStreamerSecret Op = "generate_streamer_secret"
	OpImport                 Op = "import"
	OpSeed                   Op = "seed"
	OpKill                   Op = "kill"
	OpAcknowledge            Op = "acknowledge"
)

// Event types.
const (
	EventChange = "change" // Data is a Change
	EventAlert  = "alert"  // Data is an Alert
)
