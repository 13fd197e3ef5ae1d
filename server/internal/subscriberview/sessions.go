package subscriberview

import (
	"context"
	"fmt"
	"time"

	"canale/server/internal/credential"
	"canale/server/internal/store"
)

// Sessions keeps portal sign-ins in the database (table portal_sessions).
type Sessions struct {
	store *store.Store
}

// NewSessions returns Sessions over s.
func NewSessions(s *store.Store) *Sessions { return &Sessions{store: s} }

// Session is one portal sign-in.
type Session struct {
	SubscriberID int64
	CSRFToken    string
	CreatedAt    time.Time
	ExpiresAt    time.Time
	ClientIP     string
	UserAgent    string
}

// Create starts a session for subscriberID and returns its cookie token.
// Only the token's hash is stored.
func (s *Sessions) Create(ctx context.Context, sess Session) (string, error) {
	token := credential.NewToken()
	err := s.store.CreatePortalSession(ctx, credential.HashToken(token), store.PortalSession(sess))
	if err != nil {
		return "", fmt.Errorf("create session: %w", err)
	}
	return token, nil
}

// Find returns the unexpired session with that cookie token, or CodeNotFound.
func (s *Sessions) Find(ctx context.Context, token string) (Session, error) {
	p, err := s.store.FindPortalSession(ctx, credential.HashToken(token))
	return Session(p), err
}

// List returns the subscriber's unexpired sessions, without CSRF tokens.
func (s *Sessions) List(ctx context.Context, subscriberID int64) ([]Session, error) {
	ps, err := s.store.FindPortalSessions(ctx, subscriberID)
	out := make([]Session, len(ps))
	for i, p := range ps {
		out[i] = Session(p)
	}
	return out, err
}

// Delete ends the session with that cookie token.
func (s *Sessions) Delete(ctx context.Context, token string) error {
	return s.store.DeletePortalSession(ctx, credential.HashToken(token))
}

// DeleteAll ends every session of the subscriber ("sign out everywhere").
func (s *Sessions) DeleteAll(ctx context.Context, subscriberID int64) error {
	return s.store.DeletePortalSessions(ctx, subscriberID)
}
