package store

import (
	"context"
	"fmt"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

// ChangeAdminPassword sets an admin's own password and revokes every other
// token of that admin: whoever held the old password, or a token taken
// from another machine, is out at once, while the session the change was
// made from (keepTokenHash) goes on. Every instance closes the admin's event
// sockets ("rekey"); the desktop reconnects with the token it kept. It
// returns CodeNotFound for an unknown admin.
func (s *Store) ChangeAdminPassword(ctx context.Context, actor api.Actor, id int64, passwordHash string, keepTokenHash []byte) error {
	return s.changeOwnPassword(ctx, adminAccounts, actor, id, passwordHash, keepTokenHash)
}

// ChangeResellerPassword sets a reseller's own password and revokes every
// other token of that reseller, keeping the one the change was made from.
// (A password an operator sets through UpdateReseller revokes them all.)
// It returns CodeNotFound for an unknown reseller.
func (s *Store) ChangeResellerPassword(ctx context.Context, actor api.Actor, id int64, passwordHash string, keepTokenHash []byte) error {
	return s.changeOwnPassword(ctx, resellerAccounts, actor, id, passwordHash, keepTokenHash)
}

// accountTables names where one kind of API account keeps its password and
// its tokens, and the change op every instance is told.
type accountTables struct {
	entity                  api.Entity
	accounts, tokens, owner string
	op                      api.Op
}

var (
	adminAccounts    = accountTables{api.EntityAdmin, "admins", "admin_tokens", "admin_id", api.OpRekey}
	resellerAccounts = accountTables{api.EntityReseller, "resellers", "reseller_tokens", "reseller_id", api.OpUpdate}
)

func (s *Store) changeOwnPassword(ctx context.Context, t accountTables, actor api.Actor, id int64, passwordHash string, keepTokenHash []byte) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE `+t.accounts+` SET password_hash = $2, version = version + 1, updated_at = now()
			WHERE id = $1`, id, passwordHash)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return api.Errorf(api.CodeNotFound, "no %s %d", t.entity, id)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM `+t.tokens+` WHERE `+t.owner+` = $1 AND token_hash <> $2`, id, keepTokenHash); err != nil {
			return err
		}
		return writeChange(ctx, tx, rowWrite(actor, t.op, t.entity, id, nil, nil).as(api.OpChangePassword))
	})
	if err != nil {
		return fmt.Errorf("change password of %s %d: %w", t.entity, id, err)
	}
	return nil
}
