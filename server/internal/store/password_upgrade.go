package store

import (
	"context"
	"fmt"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

// Upgrading a password hash stores a stronger hash of the same password,
// made at a successful sign-in (credential.Hasher), in place of one from an
// import. The password does not change, so nothing is audited, no version
// the editors see is bumped (but the subscriber's, which the read models
// compare) and no sign-in is revoked. Each method changes the row only if
// it still holds oldHash: a password changed meanwhile wins. They return
// nil when the row holds another hash or is gone.

// UpgradeSubscriberPassword replaces subscriber id's password hash oldHash
// with newHash and tells every instance's read model.
func (s *Store) UpgradeSubscriberPassword(ctx context.Context, id int64, oldHash, newHash string) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		changed, err := upgradePasswordHash(ctx, tx, "subscribers", id, oldHash, newHash)
		if err != nil || !changed {
			return err
		}
		return writeChange(ctx, tx, write{change: api.Change{Entity: api.EntitySubscriber, ID: entityID(id), Op: api.OpUpdate}})
	})
}

// UpgradeAdminPassword replaces admin id's password hash oldHash with newHash.
func (s *Store) UpgradeAdminPassword(ctx context.Context, id int64, oldHash, newHash string) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		_, err := upgradePasswordHash(ctx, tx, "admins", id, oldHash, newHash)
		return err
	})
}

// UpgradeResellerPassword replaces reseller id's password hash oldHash with
// newHash.
func (s *Store) UpgradeResellerPassword(ctx context.Context, id int64, oldHash, newHash string) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		_, err := upgradePasswordHash(ctx, tx, "resellers", id, oldHash, newHash)
		return err
	})
}

// upgradePasswordHash is the statement; table is one of the three above,
// never input.
func upgradePasswordHash(ctx context.Context, tx pgx.Tx, table string, id int64, oldHash, newHash string) (bool, error) {
	bump := ""
	if table == "subscribers" {
		bump = ", version = version + 1, updated_at = now()"
	}
	tag, err := tx.Exec(ctx, `UPDATE `+table+` SET password_hash = $3`+bump+` WHERE id = $1 AND password_hash = $2`,
		id, oldHash, newHash)
	if err != nil {
		return false, fmt.Errorf("upgrade password hash of %s %d: %w", table, id, interpretError(err))
	}
	return tag.RowsAffected() == 1, nil
}
