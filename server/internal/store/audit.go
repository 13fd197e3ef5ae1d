package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

// recordAudit writes one audit record inside the transaction of the change it
// describes, so a change and its record commit or roll back together. before
// and after are marshalled to JSON; nil stays NULL.
func recordAudit(ctx context.Context, tx pgx.Tx, actor api.Actor, action string, entity api.Entity, id any, before, after any) error {
	b, err := marshalNullable(before)
	if err != nil {
		return err
	}
	a, err := marshalNullable(after)
	if err != nil {
		return err
	}
	var actorID *int64
	if actor.ID != 0 {
		actorID = &actor.ID
	}
	_, err = tx.Exec(ctx, `INSERT INTO audit_log (actor_kind, actor_id, actor_login, action, entity, entity_id, before, after, client_ip)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		actor.Kind, actorID, actor.Login, action, entity, entityID(id), b, a, actor.ClientIP)
	if err != nil {
		return fmt.Errorf("record audit: %w", err)
	}
	return nil
}

// entityID spells an audit or change entity id: an id in decimal, a key as
// it is, nothing for none.
func entityID(id any) string {
	switch v := id.(type) {
	case nil:
		return ""
	case int64:
		return strconv.FormatInt(v, 10)
	case string:
		return v
	default:
		return fmt.Sprint(v)
	}
}

func marshalNullable(v any) ([]byte, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("marshal audit value: %w", err)
	}
	return b, nil
}

// auditColumns is the select list of scanAuditEntry over audit_log a.
const auditColumns = `a.id, a.at, a.actor_kind, coalesce(a.actor_id, 0), a.actor_login, a.action, a.entity,
	a.entity_id, a.before, a.after, a.client_ip`

// auditLog is the list every reader of the audit log pages: FindAudit and
// FindResellerActivity add their filters to it.
func auditLog() listQuery {
	return listQuery{selectFrom: `SELECT ` + auditColumns + ` FROM audit_log a`, idExpr: "a.id"}
}

func scanAuditEntry(row pgx.Row) (api.AuditEntry, error) {
	var e api.AuditEntry
	err := row.Scan(&e.ID, &e.At, &e.ActorKind, &e.ActorID, &e.ActorLogin, &e.Action, &e.Entity,
		&e.EntityID, &e.Before, &e.After, &e.ClientIP)
	return e, err
}

func auditEntryID(e api.AuditEntry) int64 { return e.ID }

// FindAudit returns one page of the audit records matching f, newest first.
// It pages by id (keyset) and returns CodeInvalid naming "cursor" for a
// cursor that is not from a previous page of the audit log.
func (s *Store) FindAudit(ctx context.Context, f api.AuditFilter, p api.ListParams) (api.Page[api.AuditEntry], error) {
	q := auditLog()
	if f.Entity != "" {
		q.filter(`a.entity = %s`, string(f.Entity))
	}
	if f.EntityID != "" {
		q.filter(`a.entity_id = %s`, f.EntityID)
	}
	page, err := findNewestFirst(ctx, s.pool, q, p, scanAuditEntry, auditEntryID)
	if err != nil {
		return page, fmt.Errorf("find audit: %w", err)
	}
	return page, nil
}
