package store

import (
	"context"
	"fmt"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

const streamerColumns = `s.id, s.name, s.api_url, s.public_url, s.roles, s.channel_limit, s.bandwidth_limit_kbps,
	s.poll_interval_s, s.timeout_s, s.autobalancer, s.enabled, s.attributes, s.version, s.created_at, s.updated_at,
	s.api_login, s.api_password, s.api_key`

// scanStreamer reads a streamer row; the credentials go to creds and only
// their kind into the streamer, so they cannot leak through an answer.
func scanStreamer(row pgx.Row) (api.Streamer, api.StreamerCredentials, error) {
	var s api.Streamer
	var c api.StreamerCredentials
	err := row.Scan(&s.ID, &s.Name, &s.APIURL, &s.PublicURL, &s.Roles, &s.ChannelLimit, &s.BandwidthLimitKbps,
		&s.PollIntervalS, &s.TimeoutS, &s.Autobalancer, &s.Enabled, &s.Attributes, &s.Version, &s.CreatedAt, &s.UpdatedAt,
		&c.APILogin, &c.APIPassword, &c.APIKey)
	s.Auth = c.Auth()
	s.HasCredentials = s.Auth != api.StreamerAuthNone
	return s, c, err
}

func findStreamer(ctx context.Context, db querier, id int64, lock string) (api.Streamer, api.StreamerCredentials, error) {
	return scanStreamer(db.QueryRow(ctx, `SELECT `+streamerColumns+` FROM streamers s WHERE s.id = $1`+lock, id))
}

// FindStreamerByID returns the streamer with that id, or CodeNotFound.
func (s *Store) FindStreamerByID(ctx context.Context, id int64) (api.Streamer, error) {
	st, _, err := findStreamer(ctx, s.pool, id, "")
	if err != nil {
		return st, fmt.Errorf("find streamer %d: %w", id, interpretError(err))
	}
	return st, nil
}

// FindStreamerCredentials returns what Canale signs in to the streamer's API
// with. Only the fleet poller needs it; no API answer carries it.
func (s *Store) FindStreamerCredentials(ctx context.Context, id int64) (api.StreamerCredentials, error) {
	_, c, err := findStreamer(ctx, s.pool, id, "")
	if err != nil {
		return c, fmt.Errorf("find streamer %d credentials: %w", id, interpretError(err))
	}
	return c, nil
}

// FindStreamers returns a page of streamers. ?q= searches name prefixes; sort
// by name (default) or id.
func (s *Store) FindStreamers(ctx context.Context, f api.StreamerFilter, p api.ListParams) (api.Page[api.Streamer], error) {
	q := listQuery{selectFrom: `SELECT ` + streamerColumns + ` FROM streamers s`, idExpr: "s.id",
		search: []string{"lower(s.name)"}, defaultSort: "name", sorts: map[string]sortKey{
			"name": {expr: "lower(s.name)", cast: "text", key: func(v any) string { return lowerString(v.(api.Streamer).Name) }},
			"id":   {expr: "s.id", cast: "bigint", key: func(v any) string { return fmt.Sprint(v.(api.Streamer).ID) }},
		}}
	if f.Role != "" {
		q.filter("%s = ANY(s.roles)", f.Role)
	}
	if f.Enabled != nil {
		q.filter("s.enabled = %s", *f.Enabled)
	}
	page, err := findPage(ctx, s.pool, q, p, func(r pgx.Row) (api.Streamer, error) {
		st, _, err := scanStreamer(r)
		return st, err
	}, func(st api.Streamer) int64 { return st.ID })
	if err != nil {
		return page, fmt.Errorf("find streamers: %w", err)
	}
	return page, nil
}

// CreateStreamer adds a streamer. It returns CodeInvalid for bad fields and
// CodeConflict when the name is taken.
func (s *Store) CreateStreamer(ctx context.Context, actor api.Actor, in api.StreamerCreate) (api.Streamer, error) {
	st := in.Streamer()
	if err := st.Validate(); err != nil {
		return st, err
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		st, _, err = scanStreamer(tx.QueryRow(ctx, `INSERT INTO streamers AS s (name, api_url, public_url, roles,
			channel_limit, bandwidth_limit_kbps, poll_interval_s, timeout_s, autobalancer, enabled, attributes,
			api_login, api_password, api_key)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING `+streamerColumns,
			st.Name, st.APIURL, st.PublicURL, st.Roles, st.ChannelLimit, st.BandwidthLimitKbps, st.PollIntervalS,
			st.TimeoutS, st.Autobalancer, st.Enabled, jsonObject(st.Attributes), in.APILogin, in.APIPassword, in.APIKey))
		if err != nil {
			return err
		}
		return writeChange(ctx, tx, rowWrite(actor, api.OpCreate, api.EntityStreamer, st.ID, nil, st))
	})
	if err != nil {
		return st, fmt.Errorf("create streamer: %w", err)
	}
	return st, nil
}

// UpdateStreamer applies u. It returns CodeNotFound, CodeConflict (stale
// version or name taken) or CodeInvalid.
func (s *Store) UpdateStreamer(ctx context.Context, actor api.Actor, id int64, u api.StreamerUpdate) (api.Streamer, error) {
	var after api.Streamer
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		before, creds, err := findStreamer(ctx, tx, id, " FOR UPDATE")
		if err != nil {
			return err
		}
		if err := checkVersion("streamer", id, before.Version, u.Version); err != nil {
			return err
		}
		after = u.Apply(before)
		if err := after.Validate(); err != nil {
			return err
		}
		creds = u.ApplyCredentials(creds)
		after, _, err = scanStreamer(tx.QueryRow(ctx, `UPDATE streamers AS s SET name = $2, api_url = $3, public_url = $4,
			roles = $5, channel_limit = $6, bandwidth_limit_kbps = $7, poll_interval_s = $8, timeout_s = $9,
			autobalancer = $10, enabled = $11, attributes = $12, api_login = $13, api_password = $14, api_key = $15,
			version = version + 1, updated_at = now()
			WHERE id = $1 AND version = $16 RETURNING `+streamerColumns,
			id, after.Name, after.APIURL, after.PublicURL, after.Roles, after.ChannelLimit, after.BandwidthLimitKbps,
			after.PollIntervalS, after.TimeoutS, after.Autobalancer, after.Enabled, jsonObject(after.Attributes),
			creds.APILogin, creds.APIPassword, creds.APIKey, u.Version))
		if err != nil {
			return err
		}
		return writeChange(ctx, tx, rowWrite(actor, api.OpUpdate, api.EntityStreamer, id, before, after))
	})
	if err != nil {
		return after, fmt.Errorf("update streamer %d: %w", id, err)
	}
	return after, nil
}

// DeleteStreamer removes a streamer. It returns CodeNotFound, or CodeConflict
// naming the pipelines that still use it.
func (s *Store) DeleteStreamer(ctx context.Context, actor api.Actor, id int64) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		before, _, err := findStreamer(ctx, tx, id, " FOR UPDATE")
		if err != nil {
			return err
		}
		names, total, err := referencingNames(ctx, tx, `SELECT DISTINCT p.name FROM pipelines p
			JOIN pipeline_steps ps ON ps.pipeline_id = p.id
			JOIN pipeline_step_streamers pss ON pss.step_id = ps.id WHERE pss.streamer_id = $1`, id)
		if err != nil {
			return err
		}
		if total > 0 {
			return conflict("pipelines", "streamer "+before.Name+" is used by pipeline(s) "+namesList(names, total)+"; remove it from them first")
		}
		if _, err := tx.Exec(ctx, `DELETE FROM streamers WHERE id = $1`, id); err != nil {
			return err
		}
		return writeChange(ctx, tx, rowWrite(actor, api.OpDelete, api.EntityStreamer, id, before, nil))
	})
	if err != nil {
		return fmt.Errorf("delete streamer %d: %w", id, err)
	}
	return nil
}

// referencingNames runs a query of names (one $1 parameter) and returns the
// first ten of them, sorted, and how many there are.
func referencingNames(ctx context.Context, db querier, query string, id int64) ([]string, int, error) {
	rows, err := db.Query(ctx, `SELECT n, count(*) OVER () FROM (`+query+`) AS r(n) ORDER BY n LIMIT 10`, id)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var names []string
	var total int
	for rows.Next() {
		var n string
		if err := rows.Scan(&n, &total); err != nil {
			return nil, 0, err
		}
		names = append(names, n)
	}
	return names, total, rows.Err()
}

// jsonObject stores a nil attribute map as {} (the column is NOT NULL).
func jsonObject(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}
