package store

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strings"
	"time"

	"canale/server/internal/pace"
	"canale/shared/api"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
)

// importTables are the catalog tables a panel import fills, in the order
// they are loaded (every table after the first may refer to earlier ones).
// Each has a bigserial id that the import advances past the imported ids.
var importTables = []string{"streamers", "categories", "channels", "vod", "series", "series_seasons", "packages",
	"resellers", "subscribers", "devices"}

// sharedSequences are tables whose ids come from another table's sequence:
// episodes take the movies' ids (one XC stream id space for /movie/ and
// /series/ URLs), so that sequence must pass the highest id of both.
var sharedSequences = map[string][]string{"vod": {"series_episodes"}}

// catalogTables are the tables whose rows make the catalog "not empty" and
// that a replacing import truncates: the imported ones plus pipelines, which
// refer to streamers. Link tables (package_channels, subscriber_packages…)
// follow through CASCADE.
var catalogTables = append([]string{"pipelines"}, importTables...)

// CatalogImport is a bulk load of the catalog from another panel, in one
// transaction: nothing is visible to anyone until Commit, and Rollback (or
// any failure) leaves the database exactly as it was. Rows keep the ids they
// are given, so ids other systems cached (XC stream and line ids in saved
// URLs) stay valid. The rows are paced (package pace) as COPY sends them,
// so an import into a serving database leaves the play checks their CPU;
// the catalog stays locked against writes for the longer import.
type CatalogImport struct {
	tx pgx.Tx
	p  *pace.Pacer // paces the rows COPY sends, so PostgreSQL's work is paced with them
}

// ImportStreamer is a streaming server of the source panel.
type ImportStreamer struct {
	ID        int64
	Name      string
	APIURL    string
	PublicURL string
	Enabled   bool
}

// ImportCategory is a channel or VOD category; Kind is "live" or "vod".
type ImportCategory struct {
	ID       int64
	Kind     string
	Name     string
	Position int
}

// ImportChannel is a live channel. Sources is the JSON of the sources column.
type ImportChannel struct {
	ID           int64
	Name         string
	Title        string
	LogoURL      string
	CategoryID   *int64
	Number       int
	Sources      []byte
	EPGChannelID string
	DVRDays      int
	Enabled      bool
	CreatedAt    time.Time
}

// ImportVOD is a movie.
type ImportVOD struct {
	ID          int64
	Title       string
	StreamName  string
	SourceURL   string
	Container   string
	CategoryID  *int64
	PosterURL   string
	Description string
	DurationS   int
	Year        int
	Rating      float64
	Enabled     bool
	CreatedAt   time.Time
}

// ImportPackage is a package with its channels, VOD and series, in order.
type ImportPackage struct {
	ID          int64
	Name        string
	Description string
	// PeriodDays is how long a sale of the package runs; 0 keeps the
	// default (30).
	PeriodDays int
	ChannelIDs []int64
	VODIDs     []int64
	SeriesIDs  []int64
}

// ImportReseller is a reseller. PasswordHash is stored as given: an argon2id
// or SHA-512 crypt hash, or a value starting with "!" that matches no
// password (the reseller needs a password reset).
type ImportReseller struct {
	ID           int64
	Login        string
	PasswordHash string
	Name         string
	Contact      string
	CreditsMinor int64 // api minor units
	ParentID     *int64
	Status       string
	Notes        string
	CreatedAt    time.Time
}

// ImportSubscriber is a subscriber with its packages. Attributes is a JSON
// object of the panel's fields that have no column.
type ImportSubscriber struct {
	ID                int64
	Login             string
	PasswordHash      string
	Name              string
	Contact           string
	Token             string
	Status            string
	ExpiresAt         *time.Time
	MaxSessions       int
	AllowedIPs        []string
	AllowedUserAgents []string
	Notes             string
	ResellerID        *int64
	Trial             bool
	Attributes        []byte
	PackageIDs        []int64
	CreatedAt         time.Time
}

// BeginCatalogImport starts an import. It locks the catalog tables against
// writes (readers go on) for the length of the import. Unless replace is
// set it refuses, with CodeConflict, a database whose catalog already has
// rows, since imported ids would collide with them; with replace it empties
// the catalog first, inside the same transaction.
func (s *Store) BeginCatalogImport(ctx context.Context, replace bool) (*CatalogImport, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, interpretError(fmt.Errorf("begin import: %w", err))
	}
	ci := &CatalogImport{tx: tx, p: pace.New(pace.DefaultShare)}
	if err := ci.prepare(ctx, replace); err != nil {
		ci.Rollback(ctx)
		return nil, interpretError(err)
	}
	return ci, nil
}

func (ci *CatalogImport) prepare(ctx context.Context, replace bool) error {
	list := strings.Join(catalogTables, ", ")
	if replace {
		if _, err := ci.tx.Exec(ctx, `TRUNCATE `+list+` RESTART IDENTITY CASCADE`); err != nil {
			return fmt.Errorf("empty the catalog: %w", err)
		}
		return nil
	}
	if _, err := ci.tx.Exec(ctx, `LOCK TABLE `+list+` IN EXCLUSIVE MODE`); err != nil {
		return fmt.Errorf("lock the catalog: %w", err)
	}
	var nonEmpty []string
	for _, t := range catalogTables {
		var n bool
		if err := ci.tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM `+t+`)`).Scan(&n); err != nil {
			return fmt.Errorf("count %s: %w", t, err)
		}
		if n {
			nonEmpty = append(nonEmpty, t)
		}
	}
	if len(nonEmpty) > 0 {
		return &api.Error{Code: api.CodeConflict,
			Message: "the catalog is not empty (" + strings.Join(nonEmpty, ", ") + "); an import must replace it"}
	}
	return nil
}

// Rollback abandons the import; it is safe after Commit.
func (ci *CatalogImport) Rollback(ctx context.Context) {
	_ = ci.tx.Rollback(context.WithoutCancel(ctx))
}

// Streamers loads streamers.
func (ci *CatalogImport) Streamers(ctx context.Context, rows []ImportStreamer) error {
	return ci.copy(ctx, "streamers", []string{"id", "name", "api_url", "public_url", "enabled"}, len(rows),
		func(i int) []any {
			r := rows[i]
			return []any{r.ID, r.Name, r.APIURL, r.PublicURL, r.Enabled}
		})
}

// Categories loads categories.
func (ci *CatalogImport) Categories(ctx context.Context, rows []ImportCategory) error {
	return ci.copy(ctx, "categories", []string{"id", "kind", "name", "position"}, len(rows),
		func(i int) []any {
			r := rows[i]
			return []any{r.ID, r.Kind, r.Name, r.Position}
		})
}

// Channels loads channels.
func (ci *CatalogImport) Channels(ctx context.Context, rows []ImportChannel) error {
	return ci.copy(ctx, "channels", []string{"id", "name", "title", "logo_url", "category_id", "number",
		"sources", "epg_channel_id", "dvr_days", "enabled", "created_at", "updated_at"}, len(rows),
		func(i int) []any {
			r := rows[i]
			at := createdAt(r.CreatedAt)
			return []any{r.ID, r.Name, r.Title, r.LogoURL, r.CategoryID, r.Number, string(r.Sources),
				r.EPGChannelID, r.DVRDays, r.Enabled, at, at}
		})
}

// VOD loads movies.
func (ci *CatalogImport) VOD(ctx context.Context, rows []ImportVOD) error {
	return ci.copy(ctx, "vod", []string{"id", "title", "stream_name", "source_url", "container", "category_id",
		"poster_url", "description", "duration_s", "year", "rating", "enabled", "created_at", "updated_at"}, len(rows),
		func(i int) []any {
			r := rows[i]
			at := createdAt(r.CreatedAt)
			return []any{r.ID, r.Title, r.StreamName, r.SourceURL, r.Container, r.CategoryID, r.PosterURL,
				r.Description, r.DurationS, r.Year, round2(r.Rating), r.Enabled, at, at}
		})
}

// Packages loads packages and their channel, VOD and series lists.
func (ci *CatalogImport) Packages(ctx context.Context, rows []ImportPackage) error {
	err := ci.copy(ctx, "packages", []string{"id", "name", "description", "period_days"}, len(rows), func(i int) []any {
		days := rows[i].PeriodDays
		if days <= 0 {
			days = 30
		}
		return []any{rows[i].ID, rows[i].Name, rows[i].Description, days}
	})
	if err != nil {
		return err
	}
	var ch, vod, series [][]any
	for _, p := range rows {
		for pos, id := range p.ChannelIDs {
			ch = append(ch, []any{p.ID, id, pos})
		}
		for pos, id := range p.VODIDs {
			vod = append(vod, []any{p.ID, id, pos})
		}
		for pos, id := range p.SeriesIDs {
			series = append(series, []any{p.ID, id, pos})
		}
	}
	if err := ci.copyRows(ctx, "package_channels", []string{"package_id", "channel_id", "position"}, ch); err != nil {
		return err
	}
	if err := ci.copyRows(ctx, "package_vod", []string{"package_id", "vod_id", "position"}, vod); err != nil {
		return err
	}
	return ci.copyRows(ctx, "package_series", []string{"package_id", "series_id", "position"}, series)
}

// Resellers loads resellers. Parents may come in any order: the foreign key
// is checked at the end of the statement.
func (ci *CatalogImport) Resellers(ctx context.Context, rows []ImportReseller) error {
	return ci.copy(ctx, "resellers", []string{"id", "login", "password_hash", "name", "contact", "credits",
		"parent_id", "status", "notes", "created_at", "updated_at"}, len(rows),
		func(i int) []any {
			r := rows[i]
			at := createdAt(r.CreatedAt)
			return []any{r.ID, r.Login, r.PasswordHash, r.Name, r.Contact, minorNumeric(r.CreditsMinor), r.ParentID,
				r.Status, r.Notes, at, at}
		})
}

// Subscribers loads subscribers and their packages.
func (ci *CatalogImport) Subscribers(ctx context.Context, rows []ImportSubscriber) error {
	err := ci.copy(ctx, "subscribers", []string{"id", "login", "password_hash", "name", "contact", "token",
		"status", "expires_at", "max_sessions", "allowed_ips", "allowed_user_agents", "notes", "reseller_id",
		"trial", "attributes", "created_at", "updated_at"}, len(rows),
		func(i int) []any {
			r := rows[i]
			at := createdAt(r.CreatedAt)
			attrs := string(r.Attributes)
			if attrs == "" {
				attrs = "{}"
			}
			return []any{r.ID, r.Login, r.PasswordHash, r.Name, r.Contact, r.Token, r.Status, r.ExpiresAt,
				r.MaxSessions, nonNil(r.AllowedIPs), nonNil(r.AllowedUserAgents), r.Notes, r.ResellerID,
				r.Trial, attrs, at, at}
		})
	if err != nil {
		return err
	}
	var links [][]any
	for _, s := range rows {
		for _, p := range s.PackageIDs {
			links = append(links, []any{s.ID, p})
		}
	}
	return ci.copyRows(ctx, "subscriber_packages", []string{"subscriber_id", "package_id"}, links)
}

// Commit advances every id sequence past the highest id, so rows created
// later never collide with imported ones, records summary in the audit log,
// tells every instance to reload and commits.
func (ci *CatalogImport) Commit(ctx context.Context, actor api.Actor, summary any) error {
	for _, t := range append(slices.Clone(importTables), importAddedTables...) {
		top := `(SELECT COALESCE(MAX(id), 0) FROM ` + t + `)`
		for _, other := range sharedSequences[t] {
			top = `GREATEST(` + top + `, (SELECT COALESCE(MAX(id), 0) FROM ` + other + `))`
		}
		_, err := ci.tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence('`+t+`', 'id'), `+top+` + 1, false)`)
		if err != nil {
			return interpretError(fmt.Errorf("advance %s id sequence: %w", t, err))
		}
	}
	if err := writeChange(ctx, ci.tx, write{change: api.Change{Entity: api.EntityAll, Op: api.OpReset},
		actor: actor, action: api.OpImport, entity: api.EntityCatalog, after: summary}); err != nil {
		return interpretError(err)
	}
	if err := ci.tx.Commit(ctx); err != nil {
		return interpretError(fmt.Errorf("commit import: %w", err))
	}
	return nil
}

func (ci *CatalogImport) copy(ctx context.Context, table string, cols []string, n int, row func(int) []any) error {
	i := 0
	src := pgx.CopyFromFunc(func() ([]any, error) {
		if i >= n {
			return nil, nil
		}
		if err := ci.p.Step(ctx); err != nil {
			return nil, err
		}
		i++
		return row(i - 1), nil
	})
	if _, err := ci.tx.CopyFrom(ctx, pgx.Identifier{table}, cols, src); err != nil {
		return fmt.Errorf("load %s: %w", table, describeCopyError(err))
	}
	return nil
}

func (ci *CatalogImport) copyRows(ctx context.Context, table string, cols []string, rows [][]any) error {
	return ci.copy(ctx, table, cols, len(rows), func(i int) []any { return rows[i] })
}

// describeCopyError keeps the PostgreSQL detail (which row, which key) in the
// message, since an operator fixing source data needs it.
func describeCopyError(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && (pgErr.Detail != "" || pgErr.Where != "") {
		return fmt.Errorf("%w (%s %s)", err, pgErr.Detail, pgErr.Where)
	}
	return err
}

func createdAt(t time.Time) time.Time {
	if t.IsZero() {
		return time.Now()
	}
	return t
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }

// minorNumeric is an amount of api minor units as the exact numeric COPY
// writes: minor × 10^-2, no float in between.
func minorNumeric(minor int64) pgtype.Numeric {
	return pgtype.Numeric{Int: big.NewInt(minor), Exp: -2, Valid: true}
}
