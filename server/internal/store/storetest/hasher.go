package storetest

import "context"

// cheapHasher stands in for argon2id in the stores tests open: store tests
// check when and what the store hashes, not argon2id (the credential
// package tests that), and a hundred concurrent creations would otherwise
// take 19 MiB and 30 ms of a core each. Its output is no hash and verifies
// nothing; a server built on the store (testserver) hashes for real.
type cheapHasher struct{}

func (cheapHasher) Hash(_ context.Context, password string) (string, error) {
	return "storetest$" + password, nil
}
