package store

import (
	"context"
	"fmt"
	"time"

	"canale/server/internal/pace"

	"github.com/jackc/pgx/v5"
)

// guideChunk is about how many programmes one statement of a guide's swap
// deletes or inserts: a few milliseconds of PostgreSQL's work, after which
// the pacer may rest. Inserted in one statement, 100,000 programmes held a
// core for the whole statement.
const guideChunk = 5000

// swapProgrammes deletes the source's programmes and inserts the staged ones,
// de-duplicated, with their stops filled in, and not older than cutoff, a
// chunk per statement, resting with p between them. It runs in the
// import's transaction: readers see the old guide until it commits.
func swapProgrammes(ctx context.Context, tx pgx.Tx, p *pace.Pacer, sourceID int64, cutoff time.Time) (int, error) {
	if err := deleteProgrammes(ctx, tx, p, sourceID); err != nil {
		return 0, err
	}
	inserted := 0
	var after *string // the last channel inserted; nil before the first chunk
	for {
		upto, err := chunkEnd(ctx, tx, after)
		if err != nil {
			return 0, err
		}
		n, err := insertProgrammes(ctx, tx, sourceID, cutoff, after, upto)
		if err != nil {
			return 0, err
		}
		inserted += n
		if upto == nil {
			return inserted, nil
		}
		after = upto
		if err := p.Check(ctx); err != nil {
			return 0, err
		}
	}
}

// deleteProgrammes deletes the source's programmes guideChunk at a time.
func deleteProgrammes(ctx context.Context, tx pgx.Tx, p *pace.Pacer, sourceID int64) error {
	for {
		tag, err := tx.Exec(ctx, `DELETE FROM epg_programmes WHERE ctid = ANY (ARRAY(
			SELECT ctid FROM epg_programmes WHERE source_id = $1 LIMIT $2))`, sourceID, guideChunk)
		if err != nil {
			return fmt.Errorf("delete old programmes: %w", err)
		}
		if tag.RowsAffected() < guideChunk {
			return nil
		}
		if err := p.Check(ctx); err != nil {
			return err
		}
	}
}

// chunkEnd is the channel that ends the chunk of staged programmes after
// channel after (nil: from the first): the channel of the guideChunk-th
// programme past it, so a chunk holds whole channels, which the
// de-duplication and the filled-in stops need. nil means the chunk runs to
// the last channel.
func chunkEnd(ctx context.Context, tx pgx.Tx, after *string) (*string, error) {
	var upto *string
	err := tx.QueryRow(ctx, `SELECT channel_epg_id FROM epg_staging WHERE $1::text IS NULL OR channel_epg_id > $1
		ORDER BY channel_epg_id OFFSET $2 LIMIT 1`, after, guideChunk).Scan(&upto)
	if err == pgx.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find the next chunk of programmes: %w", err)
	}
	return upto, nil
}

// insertProgrammes inserts the staged programmes of the channels in
// (after, upto], either end open when nil.
func insertProgrammes(ctx context.Context, tx pgx.Tx, sourceID int64, cutoff time.Time, after, upto *string) (int, error) {
	tag, err := tx.Exec(ctx, `WITH d AS (
			SELECT DISTINCT ON (channel_epg_id, start_at) * FROM epg_staging
			WHERE ($3::text IS NULL OR channel_epg_id > $3) AND ($4::text IS NULL OR channel_epg_id <= $4)
			ORDER BY channel_epg_id, start_at, seq DESC
		), w AS (
			SELECT d.*, coalesce(d.stop_at, lead(d.start_at) OVER (PARTITION BY d.channel_epg_id ORDER BY d.start_at)) AS stop2
			FROM d
		)
		INSERT INTO epg_programmes (source_id, channel_epg_id, start_at, stop_at, title, sub_title, description,
			categories, episode_system, episode, icon, lang)
		SELECT $1, channel_epg_id, start_at, stop2, title, sub_title, description, categories, episode_system, episode, icon, lang
		FROM w WHERE stop2 > start_at AND stop2 >= $2`, sourceID, cutoff, after, upto)
	if err != nil {
		return 0, fmt.Errorf("insert programmes: %w", err)
	}
	return int(tag.RowsAffected()), nil
}
