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

// FindAudit returns audit records matching f, newest first.
func (s *Store) FindAudit(ctx context.Context, f api.AuditFilter) ([]api.AuditEntry, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	rows, err := s.pool.Query(ctx, `SELECT id, at, actor_kind, coalesce(actor_id, 0), actor_login, action, entity, entity_id,
			before, after, client_ip
		FROM audit_log
		WHERE ($1 = '' OR entity = $1) AND ($2 = '' OR entity_id = $2) AND ($3 = 0 OR id < $3)
		ORDER BY id DESC LIMIT $4`, f.Entity, f.EntityID, f.BeforeID, f.Limit)
	if err != nil {
		return nil, interpretError(err)
	}
	defer rows.Close()
	out := []api.AuditEntry{}
	for rows.Next() {
		var e api.AuditEntry
		if err := rows.Scan(&e.ID, &e.At, &e.ActorKind, &e.ActorID, &e.ActorLogin, &e.Action, &e.Entity,
			&e.EntityID, &e.Before, &e.After, &e.ClientIP); err != nil {
			return nil, interpretError(err)
		}
		out = append(out, e)
	}
	return out, interpretError(rows.Err())
}
