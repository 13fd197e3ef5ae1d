package store

import (
	"context"
	"errors"

	"canale/server/internal/credential"

	"github.com/jackc/pgx/v5"
)

// PasswordHasher hashes a password being set; *credential.Hasher is one
// (signin.WriteHasher answers its refusals as a 503 with Retry-After).
type PasswordHasher interface {
	Hash(ctx context.Context, password string) (string, error)
}

// HashPasswordsWith makes h hash the passwords the store sets (a
// subscriber's, created or changed), so they share the process's bound on
// hashing with every sign-in. Call it before the store serves writes;
// without it the store hashes with credential.HashPassword, unbounded, as
// the CLI may.
func (s *Store) HashPasswordsWith(h PasswordHasher) { s.hasher = h }

type unboundedHasher struct{}

func (unboundedHasher) Hash(_ context.Context, password string) (string, error) {
	return credential.HashPassword(password)
}

// errChecked ends the transaction of hashChecked's checks, which passed:
// they wrote nothing worth keeping.
var errChecked = errors.New("checks passed")

// writeWithPassword runs write in a transaction with the hash of password
// ("" for nil: none set), made by hashChecked once check has passed.
func (s *Store) writeWithPassword(ctx context.Context, password *string, check func(pgx.Tx) error, write func(tx pgx.Tx, hash string) error) error {
	hash, err := s.hashChecked(ctx, password, check)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx pgx.Tx) error { return write(tx, hash) })
}

// hashChecked returns the hash of a password being set ("" for nil: none),
// made only once check has passed in a transaction of its own, rolled back.
// A hash is an argon2id run (19 MiB and about 30 ms of a core, holding one
// of the process's hashing slots), so a request the checks refuse must
// cost none; and it runs outside the write's transaction, so no row stays
// locked while a hash waits for a slot. The write runs the same checks
// again under its locks, as the rows may have changed in between.
func (s *Store) hashChecked(ctx context.Context, password *string, check func(pgx.Tx) error) (string, error) {
	if password == nil {
		return "", nil
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := check(tx); err != nil {
			return err
		}
		return errChecked
	})
	if !errors.Is(err, errChecked) {
		return "", err
	}
	h := s.hasher
	if h == nil {
		h = unboundedHasher{}
	}
	return h.Hash(ctx, *password)
}
