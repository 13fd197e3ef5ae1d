package store

import (
	"context"
	"encoding/json"
	"fmt"

	"canale/server/internal/credential"
	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

// subscriberColumns is the select list of scanSubscriber. The package ids
// come from a correlated subquery: one index probe per row of a page.
const subscriberColumns = `s.id, s.login, s.name, s.contact, s.token, s.status, s.expires_at, s.max_sessions,
	ARRAY(SELECT sp.package_id FROM subscriber_packages sp WHERE sp.subscriber_id = s.id ORDER BY sp.package_id),
	s.allowed_ips, s.allowed_user_agents, s.notes, s.reseller_id, s.balance, s.payment_info, s.trial,
	s.attributes, s.version, s.created_at, s.updated_at, s.tuner_token`

func scanSubscriber(row pgx.Row) (api.Subscriber, error) {
	var s api.Subscriber
	var attrs []byte
	err := row.Scan(&s.ID, &s.Login, &s.Name, &s.Contact, &s.Token, &s.Status, &s.ExpiresAt, &s.MaxSessions,
		&s.PackageIDs, &s.AllowedIPs, &s.AllowedUserAgents, &s.Notes, &s.ResellerID, &s.Balance, &s.PaymentInfo,
		&s.Trial, &attrs, &s.Version, &s.CreatedAt, &s.UpdatedAt, &s.TunerToken)
	s.Attributes = json.RawMessage(attrs)
	return s, err
}

// FindSubscriberByID returns one subscriber. It returns CodeNotFound when
// there is none. Callers acting for a reseller check ResellerID themselves.
func (s *Store) FindSubscriberByID(ctx context.Context, id int64) (api.Subscriber, error) {
	sub, err := scanSubscriber(s.pool.QueryRow(ctx, `SELECT `+subscriberColumns+` FROM subscribers s WHERE s.id = $1`, id))
	if err != nil {
		return sub, fmt.Errorf("find subscriber %d: %w", id, interpretError(err))
	}
	return sub, nil
}

// FindSubscriberByToken returns the subscriber holding a playback token, or
// CodeNotFound. A reset token stops matching as soon as the reset commits.
func (s *Store) FindSubscriberByToken(ctx context.Context, token string) (api.Subscriber, error) {
	sub, err := scanSubscriber(s.pool.QueryRow(ctx, `SELECT `+subscriberColumns+` FROM subscribers s WHERE s.token = $1`, token))
	if err != nil {
		return sub, fmt.Errorf("find subscriber by token: %w", interpretError(err))
	}
	return sub, nil
}

// SubscriberCredentials is a subscriber with its password hash, for sign-in.
type SubscriberCredentials struct {
	Subscriber   api.Subscriber
	PasswordHash string
}

// FindSubscriberByLogin returns the subscriber with that login
// (case-insensitive) and its password hash, or CodeNotFound.
func (s *Store) FindSubscriberByLogin(ctx context.Context, login string) (SubscriberCredentials, error) {
	var c SubscriberCredentials
	row := s.pool.QueryRow(ctx, `SELECT s.id, s.password_hash FROM subscribers s WHERE lower(s.login) = lower($1)`, login)
	if err := row.Scan(&c.Subscriber.ID, &c.PasswordHash); err != nil {
		return c, fmt.Errorf("find subscriber %q: %w", login, interpretError(err))
	}
	sub, err := s.FindSubscriberByID(ctx, c.Subscriber.ID)
	c.Subscriber = sub
	return c, err
}

// CreateSubscriber creates a subscriber with the given password hash and a
// new playback token. When actor is a reseller, the subscriber belongs to
// that reseller, may hold only packages the reseller sells, and the sum of
// their prices is debited from the reseller's credits in the same
// transaction (CodeConflict naming "credits" when they do not suffice, and
// then nothing changes). A reseller's subscriber expires after the longest
// period bought (at once when none is) and gets the packages' session limit
// unless it asks for a lower one; expires_at, a higher limit, status banned
// or a package the reseller does not sell is CodeForbidden naming the field
// (see subscriber_reseller.go). It returns CodeConflict naming "login" when
// the login is taken and CodeInvalid naming the field for one that breaks
// api.Subscriber.Validate or names an unknown package ("package_ids").
// sub.Password is hashed only once those checks have passed (hashChecked).
func (s *Store) CreateSubscriber(ctx context.Context, actor api.Actor, sub api.Subscriber) (api.Subscriber, error) {
	var out api.Subscriber
	err := s.writeWithPassword(ctx, &sub.Password, func(tx pgx.Tx) error {
		_, err := checkNewSubscriber(ctx, tx, actor, sub)
		return err
	}, func(tx pgx.Tx, hash string) error {
		var err error
		out, err = createSubscriber(ctx, tx, actor, sub, hash)
		return err
	})
	if err != nil {
		return out, fmt.Errorf("create subscriber %q: %w", sub.Login, err)
	}
	return out, nil
}

// checkNewSubscriber checks sub, about to be created by actor, and returns
// it as it will be written: defaults filled in and, for a reseller, what
// the purchase grants.
func checkNewSubscriber(ctx context.Context, tx pgx.Tx, actor api.Actor, sub api.Subscriber) (api.Subscriber, error) {
	if err := sub.Validate(); err != nil {
		return sub, err
	}
	normalizeSubscriber(&sub)
	if actor.Kind == api.KindReseller {
		sub.ResellerID = &actor.ID
		if err := prepareResellerSubscriber(ctx, tx, actor, &sub); err != nil {
			return sub, err
		}
	}
	return sub, nil
}

func createSubscriber(ctx context.Context, tx pgx.Tx, actor api.Actor, sub api.Subscriber, passwordHash string) (api.Subscriber, error) {
	sub, err := checkNewSubscriber(ctx, tx, actor, sub)
	if err != nil {
		return sub, err
	}
	id, err := insertSubscriber(ctx, tx, sub, passwordHash)
	if err != nil {
		return sub, err
	}
	if actor.Kind == api.KindReseller {
		if err := chargeForPackages(ctx, tx, actor, id, sub.PackageIDs, "package_ids", "create subscriber "+sub.Login); err != nil {
			return sub, err
		}
	}
	return finishSubscriberCreate(ctx, tx, actor, id)
}

// insertSubscriber writes sub and its packages as they are; the callers
// have checked and priced them.
func insertSubscriber(ctx context.Context, tx pgx.Tx, sub api.Subscriber, passwordHash string) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO subscribers (login, password_hash, name, contact, token, status, expires_at,
			max_sessions, allowed_ips, allowed_user_agents, notes, reseller_id, balance, payment_info, trial, attributes)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
		sub.Login, passwordHash, sub.Name, sub.Contact, credential.NewPlaybackToken(), sub.Status, sub.ExpiresAt,
		sub.MaxSessions, sub.AllowedIPs, sub.AllowedUserAgents, sub.Notes, sub.ResellerID, sub.Balance,
		sub.PaymentInfo, sub.Trial, []byte(sub.Attributes)).Scan(&id)
	if err != nil {
		return 0, interpretError(err)
	}
	return id, setSubscriberPackages(ctx, tx, id, sub.PackageIDs)
}

func finishSubscriberCreate(ctx context.Context, tx pgx.Tx, actor api.Actor, id int64) (api.Subscriber, error) {
	out, err := scanSubscriber(tx.QueryRow(ctx, `SELECT `+subscriberColumns+` FROM subscribers s WHERE s.id = $1`, id))
	if err != nil {
		return out, err
	}
	return out, writeChange(ctx, tx, rowWrite(actor, api.OpCreate, api.EntitySubscriber, id, nil, out))
}

// normalizeSubscriber fills defaults so the row never holds NULL arrays or
// an empty status. The login is left as it is: a new one was validated (no
// spaces), and an imported one keeps its trailing space, which apps send.
func normalizeSubscriber(sub *api.Subscriber) {
	if sub.Status == "" {
		sub.Status = api.StatusActive
	}
	if sub.AllowedIPs == nil {
		sub.AllowedIPs = []string{}
	}
	if sub.AllowedUserAgents == nil {
		sub.AllowedUserAgents = []string{}
	}
	if len(sub.Attributes) == 0 {
		sub.Attributes = json.RawMessage(`{}`)
	}
}

// setSubscriberPackages replaces the subscriber's packages. An unknown
// package is a CodeInvalid error naming package_ids.
func setSubscriberPackages(ctx context.Context, tx pgx.Tx, id int64, pkgs []int64) error {
	if _, err := tx.Exec(ctx, `DELETE FROM subscriber_packages WHERE subscriber_id = $1`, id); err != nil {
		return err
	}
	if len(pkgs) == 0 {
		return nil
	}
	tag, err := tx.Exec(ctx, `INSERT INTO subscriber_packages (subscriber_id, package_id)
		SELECT $1, p.id FROM packages p WHERE p.id = ANY($2) ON CONFLICT DO NOTHING`, id, pkgs)
	if err != nil {
		return err
	}
	if int(tag.RowsAffected()) != len(uniqueIDs(pkgs)) {
		return &api.Error{Code: api.CodeInvalid, Message: "unknown package",
			Fields: map[string]string{"package_ids": "names a package that does not exist"}}
	}
	return nil
}

func uniqueIDs(ids []int64) map[int64]bool {
	m := make(map[int64]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// DeleteSubscriber deletes a subscriber. It returns CodeNotFound when there
// is none, or when actor is a reseller who does not own it, and
// CodeForbidden naming "status" when that reseller's subscriber is banned.
func (s *Store) DeleteSubscriber(ctx context.Context, actor api.Actor, id int64) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		before, err := lockSubscriber(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if err := checkResellerDelete(actor, before); err != nil {
			return err
		}
		if err := refundUnused(ctx, tx, actor, before); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM subscribers WHERE id = $1`, id); err != nil {
			return err
		}
		return writeChange(ctx, tx, rowWrite(actor, api.OpDelete, api.EntitySubscriber, id, before, nil))
	})
	if err != nil {
		return fmt.Errorf("delete subscriber %d: %w", id, err)
	}
	return nil
}

// lockSubscriber reads and row-locks a subscriber for a change. A reseller
// gets CodeNotFound for a subscriber of anyone else, exactly as for one that
// does not exist, so the answer reveals nothing.
func lockSubscriber(ctx context.Context, tx pgx.Tx, actor api.Actor, id int64) (api.Subscriber, error) {
	sub, err := scanSubscriber(tx.QueryRow(ctx, `SELECT `+subscriberColumns+` FROM subscribers s WHERE s.id = $1 FOR UPDATE`, id))
	if err != nil {
		return sub, interpretError(err)
	}
	if !visibleTo(actor, sub) {
		return api.Subscriber{}, api.Errorf(api.CodeNotFound, "not found")
	}
	return sub, nil
}

// visibleTo reports whether actor may see sub: admins see every subscriber,
// a reseller only those it owns directly (not its sub-resellers').
func visibleTo(actor api.Actor, sub api.Subscriber) bool {
	if actor.Kind != api.KindReseller {
		return true
	}
	return sub.ResellerID != nil && *sub.ResellerID == actor.ID
}

// SubscriberVisibleTo reports whether actor may see sub (see CreateSubscriber
// on reseller ownership); handlers use it to answer 404 to anyone else.
func SubscriberVisibleTo(actor api.Actor, sub api.Subscriber) bool { return visibleTo(actor, sub) }
