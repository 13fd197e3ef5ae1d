package store

import (
	"context"
	"fmt"

	"canale/server/internal/credential"
	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

// SubscriberIDByTunerToken returns the id of the subscriber whose HDHomeRun
// tuner answers at that token, or CodeNotFound. It reads the database, not
// the read model, so a reset tuner stops answering on every instance the
// moment the reset commits; media servers fetch the tuner's lists rarely and
// open one request per stream, so the lookup is off every hot path.
func (s *Store) SubscriberIDByTunerToken(ctx context.Context, token string) (int64, error) {
	var id int64
	if token == "" {
		return 0, api.Errorf(api.CodeNotFound, "no tuner token")
	}
	err := s.pool.QueryRow(ctx, `SELECT id FROM subscribers WHERE tuner_token = $1`, token).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("find subscriber by tuner token: %w", interpretError(err))
	}
	return id, nil
}

// ResetTunerToken gives the subscriber's HDHomeRun tuner a new token (256
// random bits, hex): every media server that added the old URL loses the
// tuner, while the subscriber's playlists and players keep working.
func (s *Store) ResetTunerToken(ctx context.Context, actor api.Actor, id int64) (api.Subscriber, error) {
	return s.changeSubscriber(ctx, actor, id, api.OpResetTuner, func(tx pgx.Tx, _ api.Subscriber) error {
		_, err := tx.Exec(ctx, `UPDATE subscribers SET tuner_token = $2, version = version + 1, updated_at = now() WHERE id = $1`,
			id, credential.NewPlaybackToken()+credential.NewPlaybackToken())
		return err
	})
}

// TunerByLogin returns the tuner token and session limit of the subscriber
// with that login (case-insensitive), or CodeNotFound (see
// DiscoveryTunerByLogin, which also lists the per-package tuners).
func (s *Store) TunerByLogin(ctx context.Context, login string) (token string, maxSessions int, err error) {
	t, err := s.DiscoveryTunerByLogin(ctx, login)
	return t.Token, t.MaxSessions, err
}

// TunerToken returns the tuner token of a subscriber, or CodeNotFound.
func (s *Store) TunerToken(ctx context.Context, subscriberID int64) (string, error) {
	var token string
	err := s.pool.QueryRow(ctx, `SELECT tuner_token FROM subscribers WHERE id = $1`, subscriberID).Scan(&token)
	if err != nil {
		return "", fmt.Errorf("find tuner of subscriber %d: %w", subscriberID, interpretError(err))
	}
	return token, nil
}
