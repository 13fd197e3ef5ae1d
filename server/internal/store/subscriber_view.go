package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// The queries in this file serve what a subscriber sees (portal, playlists,
// Xtream API) straight from the catalog tables. They are the database-backed
// implementation; the in-memory read model answers the same questions on the
// hot paths once it is wired in.

// ViewSubscriber is a subscriber as the subscriber-facing surfaces need it,
// password hash included for sign-in.
type ViewSubscriber struct {
	ID           int64
	Login        string
	PasswordHash string
	Name         string
	Token        string
	Status       string // active, disabled, banned
	ExpiresAt    *time.Time
	MaxSessions  int
	Balance      string // numeric(14,2) as text, so no float rounding
	PaymentInfo  string
	Trial        bool
	Version      int
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// ViewPackage is a package a subscriber holds.
type ViewPackage struct {
	ID          int64
	Name        string
	Description string
	Price       string
	Currency    string
	PeriodDays  int
	Free        bool
}

// ViewChannel is a channel a subscriber may watch.
type ViewChannel struct {
	ID           int64
	Name         string
	Title        string
	LogoURL      string
	HasLogo      bool // an uploaded logo exists in channel_logos
	CategoryID   int64
	Number       int
	EPGChannelID string
	DVRDays      int
	CreatedAt    time.Time
}

// ViewVOD is a VOD item a subscriber may watch.
type ViewVOD struct {
	ID          int64
	Title       string
	StreamName  string
	Container   string
	CategoryID  int64
	PosterURL   string
	Description string
	DurationS   int
	Year        int
	Rating      float64
	CreatedAt   time.Time
}

// ViewCategory is a live or VOD category.
type ViewCategory struct {
	ID       int64
	Kind     string
	Name     string
	Position int
}

const viewSubscriberColumns = `id, login, password_hash, name, token, status, expires_at, max_sessions,
	balance::text, payment_info, trial, version, created_at, updated_at`

func scanViewSubscriber(row pgx.Row) (ViewSubscriber, error) {
	var v ViewSubscriber
	err := row.Scan(&v.ID, &v.Login, &v.PasswordHash, &v.Name, &v.Token, &v.Status, &v.ExpiresAt, &v.MaxSessions,
		&v.Balance, &v.PaymentInfo, &v.Trial, &v.Version, &v.CreatedAt, &v.UpdatedAt)
	return v, err
}

// ViewSubscriberByLogin returns the subscriber with that login
// (case-insensitive), or CodeNotFound.
func (s *Store) ViewSubscriberByLogin(ctx context.Context, login string) (ViewSubscriber, error) {
	v, err := scanViewSubscriber(s.pool.QueryRow(ctx,
		`SELECT `+viewSubscriberColumns+` FROM subscribers WHERE lower(login) = lower($1)`, login))
	if err != nil {
		return v, fmt.Errorf("find subscriber by login: %w", interpretError(err))
	}
	return v, nil
}

// ViewSubscriberByToken returns the subscriber whose current playback token
// is token, or CodeNotFound.
func (s *Store) ViewSubscriberByToken(ctx context.Context, token string) (ViewSubscriber, error) {
	v, err := scanViewSubscriber(s.pool.QueryRow(ctx,
		`SELECT `+viewSubscriberColumns+` FROM subscribers WHERE token = $1`, token))
	if err != nil {
		return v, fmt.Errorf("find subscriber by token: %w", interpretError(err))
	}
	return v, nil
}

// ViewSubscriberByID returns the subscriber with that id, or CodeNotFound.
func (s *Store) ViewSubscriberByID(ctx context.Context, id int64) (ViewSubscriber, error) {
	v, err := scanViewSubscriber(s.pool.QueryRow(ctx,
		`SELECT `+viewSubscriberColumns+` FROM subscribers WHERE id = $1`, id))
	if err != nil {
		return v, fmt.Errorf("find subscriber %d: %w", id, interpretError(err))
	}
	return v, nil
}

// ViewSubscriberPackages returns the packages the subscriber holds, by name.
func (s *Store) ViewSubscriberPackages(ctx context.Context, id int64) ([]ViewPackage, error) {
	rows, err := s.pool.Query(ctx, `SELECT p.id, p.name, p.description, p.price::text, p.currency, p.period_days, p.free
		FROM subscriber_packages sp JOIN packages p ON p.id = sp.package_id
		WHERE sp.subscriber_id = $1 ORDER BY lower(p.name), p.id`, id)
	if err != nil {
		return nil, fmt.Errorf("find packages of subscriber %d: %w", id, interpretError(err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ViewPackage, error) {
		var p ViewPackage
		err := r.Scan(&p.ID, &p.Name, &p.Description, &p.Price, &p.Currency, &p.PeriodDays, &p.Free)
		return p, err
	})
	if err != nil {
		return nil, fmt.Errorf("find packages of subscriber %d: %w", id, interpretError(err))
	}
	return out, nil
}

// entitled is the condition "package_id is one the subscriber $1 may use":
// one of theirs, or a free package, which every subscriber gets.
const entitled = `(p.free OR p.id IN (SELECT package_id FROM subscriber_packages WHERE subscriber_id = $1))`

// ViewSubscriberChannels returns the enabled channels the subscriber may
// watch (their packages, free packages and free channels), by number.
func (s *Store) ViewSubscriberChannels(ctx context.Context, id int64) ([]ViewChannel, error) {
	rows, err := s.pool.Query(ctx, `SELECT c.id, c.name, c.title, c.logo_url, l.channel_id IS NOT NULL,
			coalesce(c.category_id, 0), c.number, c.epg_channel_id, c.dvr_days, c.created_at
		FROM channels c LEFT JOIN channel_logos l ON l.channel_id = c.id
		WHERE c.enabled AND (c.free OR EXISTS (SELECT 1 FROM package_channels pc JOIN packages p ON p.id = pc.package_id
			WHERE pc.channel_id = c.id AND `+entitled+`))
		ORDER BY c.number, c.id`, id)
	if err != nil {
		return nil, fmt.Errorf("find channels of subscriber %d: %w", id, interpretError(err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ViewChannel, error) {
		var c ViewChannel
		err := r.Scan(&c.ID, &c.Name, &c.Title, &c.LogoURL, &c.HasLogo, &c.CategoryID, &c.Number,
			&c.EPGChannelID, &c.DVRDays, &c.CreatedAt)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("find channels of subscriber %d: %w", id, interpretError(err))
	}
	return out, nil
}

// ViewSubscriberVOD returns the enabled VOD items the subscriber may watch,
// by title.
func (s *Store) ViewSubscriberVOD(ctx context.Context, id int64) ([]ViewVOD, error) {
	rows, err := s.pool.Query(ctx, `SELECT v.id, v.title, v.stream_name, v.container, coalesce(v.category_id, 0),
			v.poster_url, v.description, v.duration_s, v.year, v.rating::float8, v.created_at
		FROM vod v
		WHERE v.enabled AND EXISTS (SELECT 1 FROM package_vod pv JOIN packages p ON p.id = pv.package_id
			WHERE pv.vod_id = v.id AND `+entitled+`)
		ORDER BY lower(v.title), v.id`, id)
	if err != nil {
		return nil, fmt.Errorf("find vod of subscriber %d: %w", id, interpretError(err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ViewVOD, error) {
		var v ViewVOD
		err := r.Scan(&v.ID, &v.Title, &v.StreamName, &v.Container, &v.CategoryID, &v.PosterURL, &v.Description,
			&v.DurationS, &v.Year, &v.Rating, &v.CreatedAt)
		return v, err
	})
	if err != nil {
		return nil, fmt.Errorf("find vod of subscriber %d: %w", id, interpretError(err))
	}
	return out, nil
}

// ViewCategories returns every category, by kind, position and name.
func (s *Store) ViewCategories(ctx context.Context) ([]ViewCategory, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, kind, name, position FROM categories ORDER BY kind, position, lower(name), id`)
	if err != nil {
		return nil, fmt.Errorf("find categories: %w", interpretError(err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ViewCategory, error) {
		var c ViewCategory
		err := r.Scan(&c.ID, &c.Kind, &c.Name, &c.Position)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("find categories: %w", interpretError(err))
	}
	return out, nil
}

// ViewExternalURL returns settings.external_url, "" when unset.
func (s *Store) ViewExternalURL(ctx context.Context) (string, error) {
	var u string
	err := s.pool.QueryRow(ctx, `SELECT external_url FROM settings WHERE id = 1`).Scan(&u)
	if err == pgx.ErrNoRows {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read external url: %w", interpretError(err))
	}
	return u, nil
}
