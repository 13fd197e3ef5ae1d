package store

import (
	"context"
	"fmt"
	"time"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

// ReadSubscriber is the part of a subscriber row the in-memory read model
// keeps: what play authorization, playlists and the Xtream API check.
type ReadSubscriber struct {
	ID                int64
	Login             string
	PasswordHash      string
	Token             string
	Status            string
	ExpiresAt         *time.Time // nil: never expires
	MaxSessions       int
	AllowedIPs        []string
	AllowedUserAgents []string
	ResellerID        int64 // 0: none
	PackageIDs        []int64
	// What the subscriber-facing surfaces show (portal account page, XC
	// user_info); Balance is numeric(14,2) as text, so no float rounding.
	Name        string
	Balance     string
	PaymentInfo string
	Trial       bool
	Version     int
	CreatedAt   time.Time
	// DeviceOnly is decoded from the attributes once, by the query, so
	// the play checks read a bit and never parse JSON.
	DeviceOnly api.DeviceOnly
}

// ReadChannel is a channel as the read model keeps it (catalog.Channel
// embeds it, so the fields are defined once).
type ReadChannel struct {
	ID           int64
	Name         string
	Title        string
	LogoURL      string
	CategoryID   int64
	Number       int
	EPGChannelID string
	DVRDays      int
	PipelineID   int64
	Enabled      bool
	Free         bool
	HasLogo      bool // an uploaded logo exists in channel_logos
	CreatedAt    time.Time
}

// ReadCategory is a channel or VOD category.
type ReadCategory struct {
	ID       int64
	Kind     string // "live" or "vod"
	Name     string
	Position int
}

// ReadVOD is a VOD item as the read model keeps it.
type ReadVOD struct {
	ID          int64
	Title       string
	StreamName  string
	SourceURL   string
	Container   string
	CategoryID  int64
	PosterURL   string
	DurationS   int
	Year        int
	Rating      float64
	Enabled     bool
	Description string
	CreatedAt   time.Time
	// What get_vod_info shows besides.
	OriginalTitle string
	Metadata      api.Metadata
}

// ReadPackage is a package with its channels and VOD in position order.
type ReadPackage struct {
	ID          int64
	Name        string
	Free        bool // every subscriber gets its channels
	ChannelIDs  []int64
	VODIDs      []int64
	Description string
	Price       string // numeric as text, e.g. "9.99"
	Currency    string
	PeriodDays  int
	SeriesIDs   []int64
}

// ReadReseller is what authorization needs of a reseller.
type ReadReseller struct {
	ID       int64
	ParentID int64
	Status   string
	DNS      string // the host its customers' links carry (reseller_rules.dns); "" for the server's own
}

// ReadStreamer is a registered streamer with the credentials Canale needs to
// call its API.
type ReadStreamer struct {
	ID          int64
	Name        string
	APIURL      string
	APILogin    string
	APIPassword string
	APIKey      string
	PublicURL   string
	Enabled     bool
}

// ReadSettings is the installation's settings row; Data is its raw jsonb.
type ReadSettings struct {
	ExternalURL    string
	StreamerSecret string
	Data           []byte
}

// ReadCatalog is every small table of the catalog, read in one snapshot.
type ReadCatalog struct {
	Channels   []ReadChannel
	Categories []ReadCategory
	VOD        []ReadVOD
	Packages   []ReadPackage
	Resellers  []ReadReseller
	Streamers  []ReadStreamer
	Settings   ReadSettings
	Series     []ReadSeries // by id, each with its seasons and episodes in order
	// SubscribersEpoch changes when the subscribers table is truncated
	// (setup reset): it is the table's file node, which TRUNCATE replaces.
	// A model compares it to tell a reset it missed from ordinary edits,
	// since after a reset ids and versions start again from 1.
	SubscribersEpoch int64
}

var readSubscriberColumns = `s.id, s.login, s.password_hash, s.token, s.status, s.expires_at,
	s.max_sessions, s.allowed_ips, s.allowed_user_agents, coalesce(s.reseller_id, 0),
	coalesce((SELECT array_agg(sp.package_id ORDER BY sp.package_id) FROM subscriber_packages sp
	          WHERE sp.subscriber_id = s.id), '{}'),
	s.name, s.balance::text, s.payment_info, s.trial, s.version, s.created_at, ` + deviceOnlyColumn("s.")

// deviceOnlyColumn decodes the device-only attributes (api.AttributeIsMAG,
// api.AttributeIsE2) of the subscriber row with the alias prefix into the
// api.DeviceOnly bits. It accepts what an operator may write for yes (JSON
// true, "true", "1", "yes"), any case.
func deviceOnlyColumn(prefix string) string {
	bit := func(key string, v api.DeviceOnly) string {
		return fmt.Sprintf(`(CASE WHEN lower(%sattributes->>'%s') IN ('true', '1', 'yes') THEN %d ELSE 0 END)`, prefix, key, v)
	}
	return `(` + bit(api.AttributeIsMAG, api.DeviceOnlyMAG) + ` | ` + bit(api.AttributeIsE2, api.DeviceOnlyEnigma2) + `)::int2`
}

func scanReadSubscriber(row pgx.Row, r *ReadSubscriber) error {
	return row.Scan(&r.ID, &r.Login, &r.PasswordHash, &r.Token, &r.Status, &r.ExpiresAt,
		&r.MaxSessions, &r.AllowedIPs, &r.AllowedUserAgents, &r.ResellerID, &r.PackageIDs,
		&r.Name, &r.Balance, &r.PaymentInfo, &r.Trial, &r.Version, &r.CreatedAt, &r.DeviceOnly)
}

// EachReadSubscriber streams every subscriber to fn in id order without
// holding them all in memory at once; fn must copy what it keeps, since the
// value passed (PackageIDs included) is reused. An error from fn stops the
// scan and is returned.
//
// A million subscribers must load in seconds: instead of a subquery per row,
// the package links are read first, in subscriber order, into two flat
// slices, and merged with the subscriber rows of the same snapshot.
func (s *Store) EachReadSubscriber(ctx context.Context, fn func(*ReadSubscriber) error) error {
	var fnErr error // returned as it is, not as a database error
	visit := func(r *ReadSubscriber) error { fnErr = fn(r); return fnErr }
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly},
		func(tx pgx.Tx) error {
			links, err := readPackageLinks(ctx, tx)
			if err != nil {
				return err
			}
			return eachSubscriberRow(ctx, tx, links, visit)
		})
	if fnErr != nil {
		return fnErr
	}
	if err != nil {
		return interpretError(fmt.Errorf("scan subscribers: %w", err))
	}
	return nil
}

// packageLinks are the rows of subscriber_packages ordered by subscriber
// then package, as parallel slices (a million pairs as 16 MB, not a million
// small slices).
type packageLinks struct {
	subscriberIDs []int64
	packageIDs    []int64
}

func readPackageLinks(ctx context.Context, tx pgx.Tx) (packageLinks, error) {
	var l packageLinks
	rows, err := tx.Query(ctx, `SELECT subscriber_id, package_id FROM subscriber_packages ORDER BY subscriber_id, package_id`)
	if err != nil {
		return l, fmt.Errorf("read package links: %w", err)
	}
	var sid, pid int64
	_, err = pgx.ForEachRow(rows, []any{&sid, &pid}, func() error {
		l.subscriberIDs = append(l.subscriberIDs, sid)
		l.packageIDs = append(l.packageIDs, pid)
		return nil
	})
	if err != nil {
		return l, fmt.Errorf("read package links: %w", err)
	}
	return l, nil
}

func eachSubscriberRow(ctx context.Context, tx pgx.Tx, links packageLinks, fn func(*ReadSubscriber) error) error {
	rows, err := tx.Query(ctx, `SELECT id, login, password_hash, token, status, expires_at, max_sessions,
		allowed_ips, allowed_user_agents, coalesce(reseller_id, 0),
		name, balance::text, payment_info, trial, version, created_at, `+deviceOnlyColumn("")+` FROM subscribers ORDER BY id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var r ReadSubscriber
	next := 0 // first link not yet merged
	for rows.Next() {
		r = ReadSubscriber{}
		if err := rows.Scan(&r.ID, &r.Login, &r.PasswordHash, &r.Token, &r.Status, &r.ExpiresAt,
			&r.MaxSessions, &r.AllowedIPs, &r.AllowedUserAgents, &r.ResellerID,
			&r.Name, &r.Balance, &r.PaymentInfo, &r.Trial, &r.Version, &r.CreatedAt, &r.DeviceOnly); err != nil {
			return fmt.Errorf("scan subscriber: %w", err)
		}
		for next < len(links.subscriberIDs) && links.subscriberIDs[next] < r.ID {
			next++ // links of a subscriber deleted since: cannot happen in one snapshot, but harmless
		}
		first := next
		for next < len(links.subscriberIDs) && links.subscriberIDs[next] == r.ID {
			next++
		}
		r.PackageIDs = links.packageIDs[first:next:next]
		if err := fn(&r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// SubscriberVersion is a subscriber's id and version: what the read
// model's periodic reconcile compares with what it holds.
type SubscriberVersion struct {
	ID      int64
	Version int
}

// SubscriberVersions reads the id and version of up to limit subscribers
// with ids above after, ordered by id: a range of the primary key, so the
// read model's reconcile can take a million in small steps. The triggers
// of migration 011 make every edit, Canale's or not, show in the version.
func (s *Store) SubscriberVersions(ctx context.Context, after int64, limit int) ([]SubscriberVersion, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, version FROM subscribers WHERE id > $1 ORDER BY id LIMIT $2`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("read subscriber versions: %w", interpretError(err))
	}
	out := make([]SubscriberVersion, 0, limit)
	var v SubscriberVersion
	_, err = pgx.ForEachRow(rows, []any{&v.ID, &v.Version}, func() error {
		out = append(out, v)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read subscriber versions: %w", interpretError(err))
	}
	return out, nil
}

// FindReadSubscriber reads one subscriber for the read model; CodeNotFound
// when it no longer exists.
func (s *Store) FindReadSubscriber(ctx context.Context, id int64) (ReadSubscriber, error) {
	var r ReadSubscriber
	row := s.pool.QueryRow(ctx, `SELECT `+readSubscriberColumns+` FROM subscribers s WHERE s.id = $1`, id)
	if err := scanReadSubscriber(row, &r); err != nil {
		return r, fmt.Errorf("find read subscriber %d: %w", id, interpretError(err))
	}
	return r, nil
}

// LoadReadCatalog reads the small tables in one read-only snapshot so the
// model never sees a package naming a channel that the same load missed.
func (s *Store) LoadReadCatalog(ctx context.Context) (ReadCatalog, error) {
	var c ReadCatalog
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly},
		func(tx pgx.Tx) error {
			for _, load := range []func(context.Context, pgx.Tx, *ReadCatalog) error{
				loadReadChannels, loadReadCategories, loadReadVOD, loadReadPackages,
				loadReadResellers, loadReadStreamers, loadReadSettings, loadSubscribersEpoch, loadReadSeries,
			} {
				if err := load(ctx, tx, &c); err != nil {
					return err
				}
			}
			return nil
		})
	if err != nil {
		return ReadCatalog{}, fmt.Errorf("load read catalog: %w", interpretError(err))
	}
	return c, nil
}

func loadReadChannels(ctx context.Context, tx pgx.Tx, c *ReadCatalog) error {
	rows, _ := tx.Query(ctx, `SELECT id, name, title, logo_url, coalesce(category_id, 0), number,
		epg_channel_id, dvr_days, coalesce(pipeline_id, 0), enabled, free,
		EXISTS (SELECT 1 FROM channel_logos l WHERE l.channel_id = channels.id), created_at
		FROM channels ORDER BY number, id`)
	var err error
	c.Channels, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (ReadChannel, error) {
		var ch ReadChannel
		err := r.Scan(&ch.ID, &ch.Name, &ch.Title, &ch.LogoURL, &ch.CategoryID, &ch.Number,
			&ch.EPGChannelID, &ch.DVRDays, &ch.PipelineID, &ch.Enabled, &ch.Free, &ch.HasLogo, &ch.CreatedAt)
		return ch, err
	})
	return err
}

func loadReadCategories(ctx context.Context, tx pgx.Tx, c *ReadCatalog) error {
	rows, _ := tx.Query(ctx, `SELECT id, kind, name, position FROM categories ORDER BY position, id`)
	var err error
	c.Categories, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (ReadCategory, error) {
		var x ReadCategory
		err := r.Scan(&x.ID, &x.Kind, &x.Name, &x.Position)
		return x, err
	})
	return err
}

func loadReadVOD(ctx context.Context, tx pgx.Tx, c *ReadCatalog) error {
	rows, _ := tx.Query(ctx, `SELECT id, title, stream_name, source_url, container, coalesce(category_id, 0),
		poster_url, duration_s, year, rating::float8, enabled, description, created_at, original_title, `+
		metadataColumns("vod")+` FROM vod ORDER BY id`)
	var err error
	c.VOD, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (ReadVOD, error) {
		var v ReadVOD
		err := r.Scan(append([]any{&v.ID, &v.Title, &v.StreamName, &v.SourceURL, &v.Container, &v.CategoryID,
			&v.PosterURL, &v.DurationS, &v.Year, &v.Rating, &v.Enabled, &v.Description, &v.CreatedAt, &v.OriginalTitle},
			metadataDest(&v.Metadata)...)...)
		return v, err
	})
	return err
}

func loadReadPackages(ctx context.Context, tx pgx.Tx, c *ReadCatalog) error {
	rows, _ := tx.Query(ctx, `SELECT p.id, p.name, p.free, p.description, p.price::text, p.currency, p.period_days,
		coalesce((SELECT array_agg(channel_id ORDER BY position, channel_id) FROM package_channels WHERE package_id = p.id), '{}'),
		coalesce((SELECT array_agg(vod_id ORDER BY position, vod_id) FROM package_vod WHERE package_id = p.id), '{}'),
		coalesce((SELECT array_agg(series_id ORDER BY position, series_id) FROM package_series WHERE package_id = p.id), '{}')
		FROM packages p ORDER BY p.id`)
	var err error
	c.Packages, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (ReadPackage, error) {
		var p ReadPackage
		err := r.Scan(&p.ID, &p.Name, &p.Free, &p.Description, &p.Price, &p.Currency, &p.PeriodDays,
			&p.ChannelIDs, &p.VODIDs, &p.SeriesIDs)
		return p, err
	})
	return err
}

func loadReadResellers(ctx context.Context, tx pgx.Tx, c *ReadCatalog) error {
	rows, _ := tx.Query(ctx, `SELECT r.id, coalesce(r.parent_id, 0), r.status, coalesce(rr.dns, '')
		FROM resellers r LEFT JOIN reseller_rules rr ON rr.reseller_id = r.id ORDER BY r.id`)
	var err error
	c.Resellers, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (ReadReseller, error) {
		var x ReadReseller
		err := r.Scan(&x.ID, &x.ParentID, &x.Status, &x.DNS)
		return x, err
	})
	return err
}

func loadReadStreamers(ctx context.Context, tx pgx.Tx, c *ReadCatalog) error {
	rows, _ := tx.Query(ctx, `SELECT id, name, api_url, api_login, api_password, api_key, public_url, enabled
		FROM streamers ORDER BY id`)
	var err error
	c.Streamers, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (ReadStreamer, error) {
		var x ReadStreamer
		err := r.Scan(&x.ID, &x.Name, &x.APIURL, &x.APILogin, &x.APIPassword, &x.APIKey, &x.PublicURL, &x.Enabled)
		return x, err
	})
	return err
}

func loadSubscribersEpoch(ctx context.Context, tx pgx.Tx, c *ReadCatalog) error {
	return tx.QueryRow(ctx, `SELECT pg_relation_filenode('subscribers')::bigint`).Scan(&c.SubscribersEpoch)
}

func loadReadSettings(ctx context.Context, tx pgx.Tx, c *ReadCatalog) error {
	err := tx.QueryRow(ctx, `SELECT external_url, streamer_secret, data::text FROM settings WHERE id = 1`).
		Scan(&c.Settings.ExternalURL, &c.Settings.StreamerSecret, &c.Settings.Data)
	if err == pgx.ErrNoRows {
		c.Settings = ReadSettings{Data: []byte("{}")}
		return nil
	}
	return err
}
