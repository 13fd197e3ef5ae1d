package store

import (
	"context"
	"fmt"
)

// DiscoveryTuner is what LAN discovery announces of one subscriber: its
// tuner token, its session limit (the TunerCount) and the packages it
// holds, each of which is a tuner of its own.
type DiscoveryTuner struct {
	Token       string
	MaxSessions int
	PackageIDs  []int64 // ascending, so the announced ones stay the same
}

// DiscoveryTunerByLogin returns the tuners of the subscriber with that login
// (case-insensitive), or CodeNotFound, in one query: discovery reads it on
// each request, so a reset token or a package taken away is answered at
// once on every instance.
func (s *Store) DiscoveryTunerByLogin(ctx context.Context, login string) (DiscoveryTuner, error) {
	var t DiscoveryTuner
	err := s.pool.QueryRow(ctx, `SELECT s.tuner_token, s.max_sessions,
			array(SELECT p.package_id FROM subscriber_packages p WHERE p.subscriber_id = s.id ORDER BY p.package_id)
		FROM subscribers s WHERE lower(s.login) = lower($1)`, login).Scan(&t.Token, &t.MaxSessions, &t.PackageIDs)
	if err != nil {
		return DiscoveryTuner{}, fmt.Errorf("find tuners of %q: %w", login, interpretError(err))
	}
	return t, nil
}
