package signin

import (
	"context"

	"canale/server/internal/credential"
)

// WriteHasher hashes the passwords being set, on the Hasher that bounds
// every sign-in, and answers a Hasher that gave up before hashing as Busy
// does: a 503 with Retry-After. The store sets subscribers' passwords
// through it (store.HashPasswordsWith).
type WriteHasher struct{ Hasher *credential.Hasher }

// Hash hashes password while holding one of the Hasher's slots.
func (w WriteHasher) Hash(ctx context.Context, password string) (string, error) {
	hash, err := w.Hasher.Hash(ctx, password)
	return hash, Busy(err)
}
