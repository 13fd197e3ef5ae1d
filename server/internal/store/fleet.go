package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

// FleetCatalog is everything the fleet manager needs from the catalog, read
// in one consistent snapshot: enabled streamers with their credentials, the
// pipelines, the enabled channels that follow a pipeline, the settings and
// the persisted placements.
type FleetCatalog struct {
	Streamers  []FleetStreamer
	Pipelines  []FleetPipeline
	Channels   []FleetChannel
	Settings   FleetSettings
	Placements []FleetPlacement
}

// FleetStreamer is an enabled streamer as the fleet sees it.
type FleetStreamer struct {
	ID                 int64
	Name               string
	APIURL             string
	APILogin           string
	APIPassword        string
	APIKey             string
	PublicURL          string
	ChannelLimit       int
	BandwidthLimitKbps int64
	PollIntervalS      int
	TimeoutS           int
	Autobalancer       bool
}

// FleetPipeline is a pipeline with its steps in order.
type FleetPipeline struct {
	ID    int64
	Name  string
	Steps []FleetStep
}

// FleetStep is one step of a pipeline; StreamerIDs lists only enabled streamers.
type FleetStep struct {
	Position    int
	Role        string // ingest, transcode, dvr, edge
	Placement   string // one, all
	StreamerIDs []int64
}

// FleetChannel is an enabled channel and what its streams need.
type FleetChannel struct {
	ID         int64
	Name       string
	Title      string
	Sources    []FleetSource
	DVRDays    int
	PipelineID int64 // 0: no pipeline
}

// FleetSource is one input of a channel (channels.sources); lower
// priorities are tried first.
type FleetSource struct {
	URL      string `json:"url"`
	Priority int    `json:"priority"`
}

// FleetSettings are the settings the fleet uses.
type FleetSettings struct {
	ExternalURL    string
	StreamerSecret string
	// BalanceMode is settings.data->>'balance_mode' ("" when unset).
	BalanceMode string
	// VODStorages is settings.data->'vod_storages'; a value that does not
	// parse counts as none.
	VODStorages []api.VODStorage
}

// FleetPlacement says that a channel's step at Position runs on StreamerID.
type FleetPlacement struct {
	ChannelID  int64
	Position   int
	StreamerID int64
}

// LoadFleetCatalog reads the fleet's view of the catalog in one read-only
// transaction. It creates the settings row and a streamer secret when there
// is none yet, since streamers cannot be pointed at Canale without one. It
// returns CodeUnavailable when the database cannot be reached.
func (s *Store) LoadFleetCatalog(ctx context.Context) (FleetCatalog, error) {
	var c FleetCatalog
	if err := s.ensureStreamerSecret(ctx); err != nil {
		return c, fmt.Errorf("load fleet catalog: %w", err)
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY`); err != nil {
			return err
		}
		var err error
		if c.Streamers, err = loadFleetStreamers(ctx, tx); err != nil {
			return err
		}
		if c.Pipelines, err = loadFleetPipelines(ctx, tx); err != nil {
			return err
		}
		if c.Channels, err = loadFleetChannels(ctx, tx); err != nil {
			return err
		}
		if c.Placements, err = loadFleetPlacements(ctx, tx); err != nil {
			return err
		}
		var vod []byte
		err = tx.QueryRow(ctx, `SELECT external_url, streamer_secret, coalesce(data->>'balance_mode', ''),
			coalesce(data->'vod_storages', '[]')::text
			FROM settings WHERE id = 1`).Scan(&c.Settings.ExternalURL, &c.Settings.StreamerSecret, &c.Settings.BalanceMode, &vod)
		if err == nil && json.Unmarshal(vod, &c.Settings.VODStorages) != nil {
			c.Settings.VODStorages = nil
		}
		return err
	})
	if err != nil {
		return FleetCatalog{}, fmt.Errorf("load fleet catalog: %w", err)
	}
	return c, nil
}

// ensureStreamerSecret creates the settings row and fills an empty streamer
// secret with 128 random bits, recording the change.
func (s *Store) ensureStreamerSecret(ctx context.Context) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO settings (id) VALUES (1) ON CONFLICT DO NOTHING`); err != nil {
			return err
		}
		var b [16]byte
		_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
		tag, err := tx.Exec(ctx, `UPDATE settings SET streamer_secret = $1, version = version + 1, updated_at = now()
			WHERE id = 1 AND streamer_secret = ''`, hex.EncodeToString(b[:]))
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		// The audit record leaves the secret out: reading the log must not
		// let anyone impersonate a streamer.
		return writeChange(ctx, tx, rowWrite(api.SystemActor("fleet"), api.OpUpdate, api.EntitySettings, 1, nil, nil).as(api.OpGenerateStreamerSecret))
	})
}

func loadFleetStreamers(ctx context.Context, tx pgx.Tx) ([]FleetStreamer, error) {
	rows, err := tx.Query(ctx, `SELECT id, name, api_url, api_login, api_password, api_key, public_url,
		channel_limit, bandwidth_limit_kbps, poll_interval_s, timeout_s, autobalancer
		FROM streamers WHERE enabled ORDER BY id`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (FleetStreamer, error) {
		var st FleetStreamer
		err := r.Scan(&st.ID, &st.Name, &st.APIURL, &st.APILogin, &st.APIPassword, &st.APIKey, &st.PublicURL,
			&st.ChannelLimit, &st.BandwidthLimitKbps, &st.PollIntervalS, &st.TimeoutS, &st.Autobalancer)
		return st, err
	})
}

func loadFleetPipelines(ctx context.Context, tx pgx.Tx) ([]FleetPipeline, error) {
	rows, err := tx.Query(ctx, `SELECT p.id, p.name, ps.position, ps.role, ps.placement,
		coalesce(array_agg(st.id ORDER BY st.id) FILTER (WHERE st.id IS NOT NULL), '{}')
		FROM pipelines p
		JOIN pipeline_steps ps ON ps.pipeline_id = p.id
		LEFT JOIN pipeline_step_streamers pss ON pss.step_id = ps.id
		LEFT JOIN streamers st ON st.id = pss.streamer_id AND st.enabled
		GROUP BY p.id, p.name, ps.id, ps.position, ps.role, ps.placement
		ORDER BY p.id, ps.position`)
	if err != nil {
		return nil, err
	}
	var out []FleetPipeline
	for rows.Next() {
		var id int64
		var name string
		var step FleetStep
		if err := rows.Scan(&id, &name, &step.Position, &step.Role, &step.Placement, &step.StreamerIDs); err != nil {
			rows.Close()
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].ID != id {
			out = append(out, FleetPipeline{ID: id, Name: name})
		}
		p := &out[len(out)-1]
		p.Steps = append(p.Steps, step)
	}
	return out, rows.Err()
}

func loadFleetChannels(ctx context.Context, tx pgx.Tx) ([]FleetChannel, error) {
	rows, err := tx.Query(ctx, `SELECT id, name, title, sources, dvr_days, coalesce(pipeline_id, 0)
		FROM channels WHERE enabled ORDER BY id`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (FleetChannel, error) {
		var ch FleetChannel
		var sources []byte
		if err := r.Scan(&ch.ID, &ch.Name, &ch.Title, &sources, &ch.DVRDays, &ch.PipelineID); err != nil {
			return ch, err
		}
		if err := json.Unmarshal(sources, &ch.Sources); err != nil {
			return ch, fmt.Errorf("channel %d sources: %w", ch.ID, err)
		}
		return ch, nil
	})
}

func loadFleetPlacements(ctx context.Context, tx pgx.Tx) ([]FleetPlacement, error) {
	rows, err := tx.Query(ctx, `SELECT channel_id, position, streamer_id FROM placements ORDER BY channel_id, position`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (FleetPlacement, error) {
		var p FleetPlacement
		err := r.Scan(&p.ChannelID, &p.Position, &p.StreamerID)
		return p, err
	})
}

// PlacementWrite changes one step's placement from what the writer last
// read (From; 0 when the step had none) to StreamerID (0 removes it).
type PlacementWrite struct {
	ChannelID        int64
	Position         int
	From, StreamerID int64
}

// SavePlacements applies ws in one transaction, each only if the step is
// still where its writer read it: several instances place channels, and a
// move one of them made since must not be overwritten by another's older
// view. Writes that no longer match (or name a channel or streamer deleted
// meanwhile) are skipped and counted in lost, and the caller reloads to
// adopt what the database holds. Placements are derived state, so they
// carry no audit record; a change is announced with api.EntityPlacement.
func (s *Store) SavePlacements(ctx context.Context, ws []PlacementWrite) (lost int, err error) {
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		lost = 0
		applied := 0
		for _, w := range ws {
			tag, err := tx.Exec(ctx, placementSQL(w), placementArgs(w)...)
			if err != nil {
				return err
			}
			if tag.RowsAffected() == 0 {
				lost++
			} else {
				applied++
			}
		}
		if applied == 0 {
			return nil
		}
		return writeChange(ctx, tx, write{change: api.Change{Entity: api.EntityPlacement, Op: api.OpUpdate}})
	})
	if err != nil {
		return 0, fmt.Errorf("save placements: %w", err)
	}
	return lost, nil
}

// placementSQL is the compare-and-set statement of one write: insert where
// there was none, move or delete only what still names From.
func placementSQL(w PlacementWrite) string {
	switch {
	case w.StreamerID == 0:
		return `DELETE FROM placements WHERE channel_id = $1 AND position = $2 AND streamer_id = $3`
	case w.From == 0:
		return `INSERT INTO placements (channel_id, position, streamer_id)
			SELECT $1, $2, $3
			WHERE EXISTS (SELECT 1 FROM channels WHERE id = $1) AND EXISTS (SELECT 1 FROM streamers WHERE id = $3)
			ON CONFLICT (channel_id, position) DO NOTHING`
	}
	return `UPDATE placements SET streamer_id = $3, placed_at = now()
		WHERE channel_id = $1 AND position = $2 AND streamer_id = $4
		AND EXISTS (SELECT 1 FROM streamers WHERE id = $3)`
}

func placementArgs(w PlacementWrite) []any {
	switch {
	case w.StreamerID == 0:
		return []any{w.ChannelID, w.Position, w.From}
	case w.From == 0:
		return []any{w.ChannelID, w.Position, w.StreamerID}
	}
	return []any{w.ChannelID, w.Position, w.StreamerID, w.From}
}
