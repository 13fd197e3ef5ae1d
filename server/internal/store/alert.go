package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"canale/shared/api"
)

// AcknowledgeAlerts records who acknowledged the given alerts and tells
// every instance (a NOTIFY per alert key), so each drops the alerts with
// those keys raised until at from its open alerts, and every desktop app
// from its list. The cut is a time, not this instance's alert IDs: another
// instance raised its own alert for the same trouble, a poll later. Alerts live in the instances'
// memory, rebuilt from the fleet's state; only the acknowledgement and its
// audit trail go through the database.
func (s *Store) AcknowledgeAlerts(ctx context.Context, actor api.Actor, alerts []api.Alert, at time.Time) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		for _, a := range alerts {
			if err := writeChange(ctx, tx, write{change: api.Change{Entity: api.EntityAlert, ID: api.AlertAckID(a.Key, at), Op: api.OpAck},
				actor: actor, action: api.OpAcknowledge, entityID: a.Key, after: a}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("acknowledge %d alerts: %w", len(alerts), err)
	}
	return nil
}
