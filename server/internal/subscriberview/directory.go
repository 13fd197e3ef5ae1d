package subscriberview

import (
	"context"
	"fmt"
	"time"

	"canale/server/internal/credential"
	"canale/server/internal/store"
	"canale/shared/api"
)

// Directory answers from the database. Every call is one or a few queries;
// the read model replaces it on the hot paths.
type Directory struct {
	store *store.Store
}

// NewDirectory returns a Directory over s.
func NewDirectory(s *store.Store) *Directory { return &Directory{store: s} }

// SubscriberByLogin returns the subscriber with that login, or CodeNotFound.
func (d *Directory) SubscriberByLogin(ctx context.Context, login string) (Subscriber, error) {
	v, err := d.store.ViewSubscriberByLogin(ctx, login)
	return fromStore(v), err
}

// SubscriberByToken returns the subscriber holding that playback token, or
// CodeNotFound.
func (d *Directory) SubscriberByToken(ctx context.Context, token string) (Subscriber, error) {
	if token == "" {
		return Subscriber{}, api.Errorf(api.CodeNotFound, "no token")
	}
	v, err := d.store.ViewSubscriberByToken(ctx, token)
	return fromStore(v), err
}

// SubscriberByID returns the subscriber with that id, or CodeNotFound.
func (d *Directory) SubscriberByID(ctx context.Context, id int64) (Subscriber, error) {
	v, err := d.store.ViewSubscriberByID(ctx, id)
	return fromStore(v), err
}

// Packages returns the packages the subscriber holds.
func (d *Directory) Packages(ctx context.Context, sub Subscriber) ([]Package, error) {
	ps, err := d.store.ViewSubscriberPackages(ctx, sub.ID)
	if err != nil {
		return nil, err
	}
	out := make([]Package, len(ps))
	for i, p := range ps {
		out[i] = Package{ID: p.ID, Name: p.Name, Description: p.Description, Price: p.Price, Currency: p.Currency,
			PeriodDays: p.PeriodDays}
	}
	return out, nil
}

// Lineup returns what the subscriber may watch.
func (d *Directory) Lineup(ctx context.Context, sub Subscriber) (Lineup, error) {
	chs, err := d.store.ViewSubscriberChannels(ctx, sub.ID)
	if err != nil {
		return Lineup{}, err
	}
	vods, err := d.store.ViewSubscriberVOD(ctx, sub.ID)
	if err != nil {
		return Lineup{}, err
	}
	cats, err := d.store.ViewCategories(ctx)
	if err != nil {
		return Lineup{}, err
	}
	var l Lineup
	used := map[int64]bool{}
	for _, c := range chs {
		used[c.CategoryID] = true
		l.Channels = append(l.Channels, Channel{ID: c.ID, Name: c.Name, Title: c.Title, LogoURL: c.LogoURL,
			HasLogo: c.HasLogo, CategoryID: c.CategoryID, Number: c.Number, EPGChannelID: c.EPGChannelID,
			DVRDays: c.DVRDays, Added: c.CreatedAt})
	}
	for _, v := range vods {
		used[v.CategoryID] = true
		l.VOD = append(l.VOD, VOD{ID: v.ID, Title: v.Title, StreamName: v.StreamName, Container: v.Container,
			CategoryID: v.CategoryID, PosterURL: v.PosterURL, Description: v.Description, DurationS: v.DurationS,
			Year: v.Year, Rating: v.Rating, Added: v.CreatedAt})
	}
	for _, c := range cats {
		if !used[c.ID] {
			continue
		}
		if c.Kind == "live" {
			l.LiveCategories = append(l.LiveCategories, Category{ID: c.ID, Name: c.Name})
		} else {
			l.VODCategories = append(l.VODCategories, Category{ID: c.ID, Name: c.Name})
		}
	}
	return l, nil
}

// ResetToken gives the subscriber a new playback token and returns it. The
// change is audited and announced, so every instance drops the old token.
func (d *Directory) ResetToken(ctx context.Context, actor api.Actor, id int64) (string, error) {
	sub, err := d.store.ResetSubscriberToken(ctx, actor, id)
	if err != nil {
		return "", err
	}
	return sub.Token, nil
}

func fromStore(v store.ViewSubscriber) Subscriber {
	s := Subscriber{ID: v.ID, Login: v.Login, PasswordHash: v.PasswordHash, Name: v.Name, Token: v.Token,
		Status: v.Status, MaxSessions: v.MaxSessions, Balance: v.Balance, PaymentInfo: v.PaymentInfo, Trial: v.Trial,
		Version: v.Version, CreatedAt: v.CreatedAt}
	if v.ExpiresAt != nil {
		s.ExpiresAt = *v.ExpiresAt
	}
	return s
}

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
