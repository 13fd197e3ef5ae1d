package store

import (
	"context"
	"encoding/json"
	"fmt"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

// Seed is a small catalog written by Seed: the `canale demo` data and the
// fixtures of the fleet tests. Entities refer to each other by name.
type Seed struct {
	ExternalURL string // settings.external_url, when not empty
	BalanceMode string // settings.data.balance_mode, when not empty
	Streamers   []SeedStreamer
	Pipelines   []SeedPipeline
	Categories  []string // live categories
	Channels    []SeedChannel
	Packages    []SeedPackage
	Subscribers []SeedSubscriber
}

// SeedStreamer is a streamer; zero limits mean none, zero intervals the defaults.
type SeedStreamer struct {
	Name, APIURL, Login, Password, PublicURL string
	ChannelLimit                             int
	BandwidthLimitKbps                       int64
	PollIntervalS, TimeoutS                  int
	Autobalancer                             bool
}

// SeedPipeline is a pipeline and its steps in order.
type SeedPipeline struct {
	Name  string
	Steps []SeedStep
}

// SeedStep is a step; Streamers are streamer names.
type SeedStep struct {
	Role, Placement string
	Streamers       []string
}

// SeedChannel is a channel; Category and Pipeline are names ("" for none).
type SeedChannel struct {
	Name, Title, LogoURL, Category, Pipeline string
	Number, DVRDays                          int
	Sources                                  []FleetSource
}

// SeedPackage is a package and the names of its channels.
type SeedPackage struct {
	Name     string
	Channels []string
}

// SeedSubscriber is a subscriber with a hashed password and a playback token.
type SeedSubscriber struct {
	Login, PasswordHash, Token string
	Packages                   []string
}

// Seed writes seed in one transaction. It is idempotent by name: existing
// rows are updated (streamers get the new URLs, which change with every run
// of the demo's simulators), so `canale demo` can start again on the same
// database. Every entity kind seeded is announced with one change.
func (s *Store) Seed(ctx context.Context, seed Seed) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		steps := []func(context.Context, pgx.Tx, Seed) error{seedSettings, seedStreamers, seedPipelines,
			seedChannels, seedPackages, seedSubscribers}
		for _, step := range steps {
			if err := step(ctx, tx, seed); err != nil {
				return err
			}
		}
		return writeChange(ctx, tx, write{change: api.Change{Entity: api.EntityAll, Op: api.OpReset},
			actor: api.SystemActor("seed"), action: api.OpSeed, entity: api.EntityCatalog})
	})
	if err != nil {
		return fmt.Errorf("seed catalog: %w", err)
	}
	return nil
}

func seedSettings(ctx context.Context, tx pgx.Tx, seed Seed) error {
	if _, err := tx.Exec(ctx, `INSERT INTO settings (id) VALUES (1) ON CONFLICT DO NOTHING`); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `UPDATE settings SET
		external_url = CASE WHEN $1 = '' THEN external_url ELSE $1 END,
		data = CASE WHEN $2 = '' THEN data ELSE data || jsonb_build_object('balance_mode', $2::text) END,
		version = version + 1, updated_at = now() WHERE id = 1`, seed.ExternalURL, seed.BalanceMode)
	return err
}

func seedStreamers(ctx context.Context, tx pgx.Tx, seed Seed) error {
	for _, st := range seed.Streamers {
		poll, timeout := 10, 30
		if st.PollIntervalS > 0 {
			poll = st.PollIntervalS
		}
		if st.TimeoutS > 0 {
			timeout = st.TimeoutS
		}
		_, err := tx.Exec(ctx, `WITH upd AS (
			UPDATE streamers SET api_url = $2, api_login = $3, api_password = $4, public_url = $5, channel_limit = $6,
				bandwidth_limit_kbps = $7, poll_interval_s = $8, timeout_s = $9, autobalancer = $10, enabled = true,
				version = version + 1, updated_at = now()
			WHERE lower(name) = lower($1) RETURNING id)
			INSERT INTO streamers (name, api_url, api_login, api_password, public_url, channel_limit,
				bandwidth_limit_kbps, poll_interval_s, timeout_s, autobalancer)
			SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 WHERE NOT EXISTS (SELECT 1 FROM upd)`,
			st.Name, st.APIURL, st.Login, st.Password, st.PublicURL, st.ChannelLimit, st.BandwidthLimitKbps,
			poll, timeout, st.Autobalancer)
		if err != nil {
			return fmt.Errorf("streamer %s: %w", st.Name, err)
		}
	}
	return nil
}

func seedPipelines(ctx context.Context, tx pgx.Tx, seed Seed) error {
	for _, p := range seed.Pipelines {
		var id int64
		err := tx.QueryRow(ctx, `INSERT INTO pipelines (name) VALUES ($1)
			ON CONFLICT ((lower(name))) DO UPDATE SET updated_at = now() RETURNING id`, p.Name).Scan(&id)
		if err != nil {
			return fmt.Errorf("pipeline %s: %w", p.Name, err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM pipeline_steps WHERE pipeline_id = $1`, id); err != nil {
			return err
		}
		for i, st := range p.Steps {
			var stepID int64
			if err := tx.QueryRow(ctx, `INSERT INTO pipeline_steps (pipeline_id, position, role, placement)
				VALUES ($1, $2, $3, $4) RETURNING id`, id, i+1, st.Role, st.Placement).Scan(&stepID); err != nil {
				return fmt.Errorf("pipeline %s step %d: %w", p.Name, i+1, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO pipeline_step_streamers (step_id, streamer_id)
				SELECT $1, id FROM streamers WHERE lower(name) = ANY (SELECT lower(n) FROM unnest($2::text[]) n)`,
				stepID, st.Streamers); err != nil {
				return err
			}
		}
	}
	return nil
}

func seedChannels(ctx context.Context, tx pgx.Tx, seed Seed) error {
	for _, c := range seed.Categories {
		if _, err := tx.Exec(ctx, `INSERT INTO categories (kind, name) VALUES ('live', $1)
			ON CONFLICT (kind, (lower(name))) DO NOTHING`, c); err != nil {
			return err
		}
	}
	for _, ch := range seed.Channels {
		sources, err := json.Marshal(ch.Sources)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO channels (name, title, logo_url, number, dvr_days, sources, category_id, pipeline_id)
			VALUES ($1, $2, $3, $4, $5, $6,
				(SELECT id FROM categories WHERE kind = 'live' AND lower(name) = lower($7)),
				(SELECT id FROM pipelines WHERE lower(name) = lower($8)))
			ON CONFLICT (name) DO UPDATE SET title = EXCLUDED.title, logo_url = EXCLUDED.logo_url,
				number = EXCLUDED.number, dvr_days = EXCLUDED.dvr_days, sources = EXCLUDED.sources,
				category_id = EXCLUDED.category_id, pipeline_id = EXCLUDED.pipeline_id, enabled = true,
				version = channels.version + 1, updated_at = now()`,
			ch.Name, ch.Title, ch.LogoURL, ch.Number, ch.DVRDays, sources, ch.Category, ch.Pipeline)
		if err != nil {
			return fmt.Errorf("channel %s: %w", ch.Name, err)
		}
	}
	return nil
}

func seedPackages(ctx context.Context, tx pgx.Tx, seed Seed) error {
	for _, p := range seed.Packages {
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO packages (name) VALUES ($1)
			ON CONFLICT ((lower(name))) DO UPDATE SET updated_at = now() RETURNING id`, p.Name).Scan(&id); err != nil {
			return fmt.Errorf("package %s: %w", p.Name, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO package_channels (package_id, channel_id, position)
			SELECT $1, c.id, row_number() OVER () FROM channels c WHERE c.name = ANY ($2::text[])
			ON CONFLICT DO NOTHING`, id, p.Channels); err != nil {
			return err
		}
	}
	return nil
}

func seedSubscribers(ctx context.Context, tx pgx.Tx, seed Seed) error {
	for _, sub := range seed.Subscribers {
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO subscribers (login, password_hash, token, max_sessions)
			VALUES ($1, $2, $3, 2)
			ON CONFLICT ((lower(login))) DO UPDATE SET password_hash = EXCLUDED.password_hash, token = EXCLUDED.token,
				status = 'active', version = subscribers.version + 1, updated_at = now()
			RETURNING id`, sub.Login, sub.PasswordHash, sub.Token).Scan(&id); err != nil {
			return fmt.Errorf("subscriber %s: %w", sub.Login, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO subscriber_packages (subscriber_id, package_id)
			SELECT $1, id FROM packages WHERE lower(name) = ANY (SELECT lower(n) FROM unnest($2::text[]) n)
			ON CONFLICT DO NOTHING`, id, sub.Packages); err != nil {
			return err
		}
	}
	return nil
}
