package store

import (
	"context"
	"fmt"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

// A reseller the operator allows may make sub-resellers, which sell to
// their own customers with credits their parent transfers to them. Every
// check that one reseller may act on another is here:
//
//   - a reseller sees and touches only its subtree (itself and the
//     resellers below it); anyone else's id answers CodeNotFound, as if it
//     did not exist;
//   - it changes (prices, credits) only its direct children, whose prices it
//     sets no lower than its own, so a subtree never undersells the
//     operator's price to its top;
//   - depth is inherited: a child of a reseller with max depth d may make
//     children only while d > 1, and then with depth d-1.

// maxTreeDepth bounds the walk up a reseller's parents, so a parent cycle an
// operator made by mistake ends the query instead of looping.
const maxTreeDepth = 32

// inSubtree reports whether id is ancestor or lies below it.
func inSubtree(ctx context.Context, q querier, ancestor, id int64) (bool, error) {
	var ok bool
	err := q.QueryRow(ctx, `WITH RECURSIVE up (id, parent_id, depth) AS (
			SELECT id, parent_id, 0 FROM resellers WHERE id = $2
			UNION ALL
			SELECT r.id, r.parent_id, up.depth + 1 FROM resellers r JOIN up ON r.id = up.parent_id
			WHERE up.depth < $3)
		SELECT EXISTS (SELECT 1 FROM up WHERE id = $1)`, ancestor, id, maxTreeDepth).Scan(&ok)
	return ok, err
}

// lockChild locks and returns the direct child childID of the reseller
// actor, or CodeNotFound when it is not one.
func lockChild(ctx context.Context, tx pgx.Tx, actor api.Actor, childID int64) (api.Reseller, error) {
	child, err := scanReseller(tx.QueryRow(ctx, `SELECT `+resellerColumns+` FROM resellers r
		WHERE r.id = $1 AND r.parent_id = $2 FOR UPDATE`, childID, actor.ID))
	if err != nil {
		return child, interpretError(err)
	}
	return child, nil
}

func requireReseller(actor api.Actor) error {
	if actor.Kind != api.KindReseller {
		return api.Errorf(api.CodeForbidden, "only a reseller has sub-resellers; operators manage /resellers")
	}
	return nil
}

// checkChildPackages refuses a package the parent does not sell, or a price
// below the parent's own.
func checkChildPackages(ctx context.Context, tx pgx.Tx, parentID int64, pkgs []api.ResellerPackage) error {
	for _, p := range pkgs {
		var price int64
		err := tx.QueryRow(ctx, `SELECT (price_credits * 100)::bigint FROM reseller_packages WHERE reseller_id = $1 AND package_id = $2`,
			parentID, p.PackageID).Scan(&price)
		if err == pgx.ErrNoRows {
			return forbidden("packages", fmt.Sprintf("package %d is not one you sell", p.PackageID))
		}
		if err != nil {
			return err
		}
		if p.PriceCreditsMinor < price {
			return forbidden("packages", fmt.Sprintf("package %d must cost at least your price, %s", p.PackageID, api.FormatCredits(price)))
		}
	}
	return nil
}

// CreateSubReseller makes r a child of the reseller actor, if the
// operator's rules allow it and the depth is left. Its rules are inherited
// (DNS, minimum lengths, killing connections, one level less of depth; no
// trials until the operator grants them). Opening credits are transferred
// from the parent in the same transaction. Refusals are CodeForbidden naming
// the field; a short parent is CodeConflict naming "credits".
func (s *Store) CreateSubReseller(ctx context.Context, actor api.Actor, r api.Reseller, passwordHash string) (api.Reseller, error) {
	var out api.Reseller
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := requireReseller(actor); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `SELECT 1 FROM resellers WHERE id = $1 FOR UPDATE`, actor.ID); err != nil {
			return err
		}
		rules, err := findResellerRules(ctx, tx, actor.ID)
		if err != nil {
			return err
		}
		if !rules.MayCreateResellers || rules.MaxDepth < 1 {
			return forbidden("parent_id", "the operator has not allowed you sub-resellers")
		}
		if err := checkCredentialLengths(rules, r.Login, &r.Password); err != nil {
			return err
		}
		if err := checkChildPackages(ctx, tx, actor.ID, r.Packages); err != nil {
			return err
		}
		opening := r.CreditsMinor
		normalizeReseller(&r)
		var id int64
		err = tx.QueryRow(ctx, `INSERT INTO resellers (login, password_hash, name, contact, credits, parent_id, status, notes)
			VALUES ($1, $2, $3, $4, 0, $5, $6, $7) RETURNING id`,
			r.Login, passwordHash, r.Name, r.Contact, actor.ID, r.Status, r.Notes).Scan(&id)
		if err != nil {
			return interpretResellerError(err)
		}
		if err := setResellerPackages(ctx, tx, id, r.Packages); err != nil {
			return err
		}
		child := api.ResellerRules{ResellerID: id, TrialHours: rules.TrialHours, MayCreateResellers: rules.MaxDepth > 1,
			MaxDepth: rules.MaxDepth - 1, MinLoginLength: rules.MinLoginLength, MinPasswordLength: rules.MinPasswordLength,
			MayKillConnections: rules.MayKillConnections, DNS: rules.DNS, RefundUnusedOnDelete: rules.RefundUnusedOnDelete}
		if err := upsertResellerRules(ctx, tx, child); err != nil {
			return err
		}
		if opening > 0 {
			if err := moveCredits(ctx, tx, actor, actor.ID, id, opening, "opening credits of "+r.Login); err != nil {
				return err
			}
		}
		out, err = finishResellerChange(ctx, tx, actor, "create", id, nil)
		return err
	})
	if err != nil {
		return out, fmt.Errorf("create sub-reseller %q: %w", r.Login, err)
	}
	return out, nil
}

// moveCredits takes amount from one reseller and gives it to another,
// logging both sides. Both rows are locked in id order first, so two
// transfers between the same pair in opposite directions queue instead of
// deadlocking.
func moveCredits(ctx context.Context, tx pgx.Tx, actor api.Actor, from, to int64, amount int64, reason string) error {
	if _, err := tx.Exec(ctx, `SELECT 1 FROM resellers WHERE id = ANY($1) ORDER BY id FOR UPDATE`, []int64{from, to}); err != nil {
		return err
	}
	if err := debitCredits(ctx, tx, actor, from, amount, reason, nil); err != nil {
		return err
	}
	return creditCredits(ctx, tx, actor, to, amount, reason)
}

// TransferCredits moves credits between the reseller actor and its direct
// child childID: to the child when tr.DeltaMinor is positive, back from it when
// negative. Neither side may go below zero (CodeConflict naming "credits").
func (s *Store) TransferCredits(ctx context.Context, actor api.Actor, childID int64, tr api.CreditTransfer) (api.Reseller, error) {
	var out api.Reseller
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := requireReseller(actor); err != nil {
			return err
		}
		before, err := lockChild(ctx, tx, actor, childID)
		if err != nil {
			return err
		}
		reason := tr.Reason
		if reason == "" {
			reason = "transfer"
		}
		if tr.DeltaMinor > 0 {
			err = moveCredits(ctx, tx, actor, actor.ID, childID, tr.DeltaMinor, reason+" to "+before.Login)
		} else {
			err = moveCredits(ctx, tx, actor, childID, actor.ID, -tr.DeltaMinor, reason+" from "+before.Login)
		}
		if err != nil {
			return err
		}
		out, err = finishResellerChange(ctx, tx, actor, actionTransfer, childID, before)
		return err
	})
	if err != nil {
		return out, fmt.Errorf("transfer credits to reseller %d: %w", childID, err)
	}
	return out, nil
}

// SetSubResellerPackages replaces what the reseller actor's direct child
// childID sells and at what prices (no lower than the actor's own).
func (s *Store) SetSubResellerPackages(ctx context.Context, actor api.Actor, childID int64, pkgs []api.ResellerPackage) (api.Reseller, error) {
	var out api.Reseller
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := requireReseller(actor); err != nil {
			return err
		}
		before, err := lockChild(ctx, tx, actor, childID)
		if err != nil {
			return err
		}
		if err := checkChildPackages(ctx, tx, actor.ID, pkgs); err != nil {
			return err
		}
		if err := setResellerPackages(ctx, tx, childID, pkgs); err != nil {
			return err
		}
		out, err = finishResellerChange(ctx, tx, actor, "update", childID, before)
		return err
	})
	if err != nil {
		return out, fmt.Errorf("set packages of reseller %d: %w", childID, err)
	}
	return out, nil
}

// FindSubResellers returns the direct children of the reseller actor.
func (s *Store) FindSubResellers(ctx context.Context, actor api.Actor, p api.ListParams) (api.Page[api.Reseller], error) {
	if err := requireReseller(actor); err != nil {
		return api.Page[api.Reseller]{}, err
	}
	return s.FindResellers(ctx, api.ResellerFilter{ParentID: actor.ID}, p)
}

// FindSubtreeReseller returns reseller id when it lies in the subtree of
// the reseller actor (itself included), else CodeNotFound.
func (s *Store) FindSubtreeReseller(ctx context.Context, actor api.Actor, id int64) (api.Reseller, error) {
	if err := requireReseller(actor); err != nil {
		return api.Reseller{}, err
	}
	ok, err := inSubtree(ctx, s.pool, actor.ID, id)
	if err != nil {
		return api.Reseller{}, fmt.Errorf("find reseller %d: %w", id, interpretError(err))
	}
	if !ok {
		return api.Reseller{}, api.Errorf(api.CodeNotFound, "no such reseller")
	}
	return s.FindResellerByID(ctx, id)
}

// FindSubtreeLines returns, read-only, the lines of reseller id in the
// subtree of the reseller actor; CodeNotFound outside it.
func (s *Store) FindSubtreeLines(ctx context.Context, actor api.Actor, id int64, p api.ListParams) (api.Page[api.Subscriber], error) {
	if _, err := s.FindSubtreeReseller(ctx, actor, id); err != nil {
		return api.Page[api.Subscriber]{}, err
	}
	return s.FindSubscribers(ctx, api.SubscriberFilter{ResellerID: id}, p)
}

// FindResellerActivity returns one page of what reseller id did, and what
// was done to it or its rules, newest first (who, what, when, from which
// address), from the audit log every change already writes in its own
// transaction. It pages like FindAudit.
func (s *Store) FindResellerActivity(ctx context.Context, id int64, p api.ListParams) (api.Page[api.AuditEntry], error) {
	q := auditLog()
	q.filter(`((a.actor_kind = 'reseller' AND a.actor_id = %s)
		OR (a.entity IN ('reseller', '`+entityResellerRules+`') AND a.entity_id = %s::text))`, id)
	page, err := findNewestFirst(ctx, s.pool, q, p, scanAuditEntry, auditEntryID)
	if err != nil {
		return page, fmt.Errorf("find activity of reseller %d: %w", id, err)
	}
	return page, nil
}
