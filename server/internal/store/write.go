package store

import (
	"context"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

// write is the epilogue of one write: the audit record of who did what and
// the change every instance is told at commit. Every write ends with
// writeChange(ctx, tx, w), so the two are always written together, in the
// transaction of the change, and always the same way.
type write struct {
	change api.Change
	actor  api.Actor
	// action is the audit action ("create", "reset_token", "import", …);
	// empty writes no audit row, for bookkeeping nobody asked for (a
	// finished backup, a re-hashed password, an EPG run, placements).
	action api.Op
	// entity and entityID name the audited thing: entity is change.Entity
	// when empty (an import audits "catalog" but announces a reset of
	// everything), entityID may be a key rather than an id.
	entity        api.Entity
	entityID      any
	before, after any
}

// rowWrite is the write of one row by id: audited with its op as the action,
// announced with the id.
func rowWrite(actor api.Actor, op api.Op, entity api.Entity, id int64, before, after any) write {
	return write{change: api.Change{Entity: entity, ID: entityID(id), Op: op}, actor: actor,
		action: op, entityID: id, before: before, after: after}
}

// as returns w audited under action, for a row write whose audit names what
// happened more precisely than its op ("reset_token" is an update).
func (w write) as(action api.Op) write {
	w.action = action
	return w
}

// writeChange records w's audit row (if it has an action) and queues its
// NOTIFY inside tx.
func writeChange(ctx context.Context, tx pgx.Tx, w write) error {
	if w.action != "" {
		entity := w.entity
		if entity == "" {
			entity = w.change.Entity
		}
		if err := recordAudit(ctx, tx, w.actor, string(w.action), entity, w.entityID, w.before, w.after); err != nil {
			return err
		}
	}
	return notifyChange(ctx, tx, w.change)
}
