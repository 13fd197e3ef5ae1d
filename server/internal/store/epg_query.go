package store

import (
	"context"
	"fmt"
	"time"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

const programmeColumns = `source_id, channel_epg_id, start_at, stop_at, title, sub_title, description, categories,
	episode_system, episode, icon, lang`

func scanProgramme(row pgx.Row, extra ...any) (api.EPGProgramme, error) {
	var p api.EPGProgramme
	dest := append(extra, &p.SourceID, &p.ChannelEPGID, &p.Start, &p.Stop, &p.Title, &p.SubTitle, &p.Description,
		&p.Categories, &p.EpisodeSystem, &p.Episode, &p.Icon, &p.Lang)
	err := row.Scan(dest...)
	if len(p.Categories) == 0 {
		p.Categories = nil
	}
	return p, err
}

// FindProgrammes calls fn, in order of channel id and start, for every
// programme of the channels epgIDs that overlaps [from, to). It streams, so a
// week of a whole guide can be written out without being held in memory; fn
// returning an error stops it with that error. Ids match exactly; no ids
// means no programmes. When two sources carry the same id, both sources'
// programmes come, ordered by source id within the same start.
func (s *Store) FindProgrammes(ctx context.Context, epgIDs []string, from, to time.Time, fn func(api.EPGProgramme) error) error {
	if len(epgIDs) == 0 {
		return nil
	}
	rows, err := s.pool.Query(ctx, `SELECT `+programmeColumns+` FROM epg_programmes
		WHERE channel_epg_id = ANY($1) AND start_at < $3 AND stop_at > $2
		ORDER BY channel_epg_id, start_at, source_id`, epgIDs, from, to)
	if err != nil {
		return fmt.Errorf("find programmes: %w", interpretError(err))
	}
	defer rows.Close()
	for rows.Next() {
		p, err := scanProgramme(rows)
		if err != nil {
			return fmt.Errorf("find programmes: %w", interpretError(err))
		}
		if err := fn(p); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("find programmes: %w", interpretError(err))
	}
	return nil
}

// FindNowNext returns, for each of epgIDs that has any, the programme on at
// time at ([0]) and the one after it ([1]). A slot with no programme (a gap
// in the guide, or its end) is the zero EPGProgramme: test Start.IsZero().
// Ids with neither are absent from the map. Each lookup is two index probes,
// so the portal and the XC API can ask for a whole channel list per request.
func (s *Store) FindNowNext(ctx context.Context, epgIDs []string, at time.Time) (map[string][2]api.EPGProgramme, error) {
	out := map[string][2]api.EPGProgramme{}
	if len(epgIDs) == 0 {
		return out, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT x.* FROM unnest($1::text[]) AS ids(epg_id)
		CROSS JOIN LATERAL (
			(SELECT 0 AS slot, `+programmeColumns+` FROM epg_programmes p
			 WHERE p.channel_epg_id = ids.epg_id AND p.start_at <= $2 ORDER BY p.start_at DESC LIMIT 1)
			UNION ALL
			(SELECT 1 AS slot, `+programmeColumns+` FROM epg_programmes p
			 WHERE p.channel_epg_id = ids.epg_id AND p.start_at > $2 ORDER BY p.start_at LIMIT 1)
		) x`, epgIDs, at)
	if err != nil {
		return nil, fmt.Errorf("find now/next: %w", interpretError(err))
	}
	defer rows.Close()
	for rows.Next() {
		var slot int
		p, err := scanProgramme(rows, &slot)
		if err != nil {
			return nil, fmt.Errorf("find now/next: %w", interpretError(err))
		}
		if slot == 0 && !p.Stop.After(at) {
			continue // the last programme before at has ended: nothing is on
		}
		nn := out[p.ChannelEPGID]
		nn[slot] = p
		out[p.ChannelEPGID] = nn
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find now/next: %w", interpretError(err))
	}
	return out, nil
}

// FindEPGChannels returns the channels source sourceID offered in its last
// good import, ordered by id; sourceID 0 means every source. It returns
// CodeNotFound for an unknown source.
func (s *Store) FindEPGChannels(ctx context.Context, sourceID int64) ([]api.EPGChannel, error) {
	rows, err := s.pool.Query(ctx, `SELECT source_id, epg_id, display_names, icon FROM epg_channels
		WHERE $1 = 0 OR source_id = $1 ORDER BY epg_id, source_id`, sourceID)
	if err != nil {
		return nil, fmt.Errorf("find epg channels: %w", interpretError(err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (api.EPGChannel, error) {
		var c api.EPGChannel
		err := r.Scan(&c.SourceID, &c.EPGID, &c.DisplayNames, &c.Icon)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("find epg channels: %w", interpretError(err))
	}
	if len(out) == 0 && sourceID != 0 {
		if _, err := s.FindEPGSourceByID(ctx, sourceID); err != nil {
			return nil, err
		}
	}
	if out == nil {
		out = []api.EPGChannel{}
	}
	return out, nil
}

// PruneEPGProgrammes deletes the programmes that ended more than their
// source's days_keep before now, and returns how many went.
func (s *Store) PruneEPGProgrammes(ctx context.Context, now time.Time) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM epg_programmes p USING epg_sources s
		WHERE p.source_id = s.id AND p.stop_at < $1::timestamptz - make_interval(days => s.days_keep)`, now)
	if err != nil {
		return 0, fmt.Errorf("prune programmes: %w", interpretError(err))
	}
	return tag.RowsAffected(), nil
}

// CountProgrammes returns how many programmes source sourceID holds.
func (s *Store) CountProgrammes(ctx context.Context, sourceID int64) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM epg_programmes WHERE source_id = $1`, sourceID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count programmes: %w", interpretError(err))
	}
	return n, nil
}
