package store

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"time"

	"canale/server/internal/pace"
	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

// GuideItem is one element of a guide being imported: exactly one of Channel
// and Programme is set. A programme's Stop may be zero (see ReplaceGuide).
type GuideItem struct {
	Channel   *api.EPGChannel
	Programme *api.EPGProgramme
}

// GuideCounts says what ReplaceGuide stored.
type GuideCounts struct {
	Channels   int
	Programmes int
	// Dropped counts programmes not stored: duplicates of a channel and start
	// (the later one wins, as in Kodi), programmes with no stop and no
	// successor, and programmes that ended before the source's days_keep.
	Dropped int
}

// maxGuideChannels bounds the channels of one guide held in memory while it
// imports; real guides have a few thousand.
const maxGuideChannels = 200_000

// MaxChannelDisplayNames bounds the display names a channel keeps when a
// guide gives it several times, so repeating one channel cannot grow memory.
const MaxChannelDisplayNames = 32

// epgLockClass is the first key of the advisory locks that keep two
// instances from importing the same source at once.
const epgLockClass = 0x45504700 // "EPG\0"

var errGuideStopped = errors.New("guide import stopped")

// ReplaceGuide replaces the channels and programmes of source sourceID with
// the items guide yields. guide is called once, inside the import's
// transaction, and must call yield for each item in turn; it streams, so a
// guide of any size passes through without being held in memory: programmes
// go by COPY into a temporary staging table, and only when guide returns nil
// does one statement swap them in for the source's old ones. When guide or
// yield fails nothing changes, so a broken download keeps the previous guide.
//
// The work is paced (package pace): parsing and COPY rest between slices,
// and the swap goes a few thousand programmes per statement, so a guide of
// a hundred thousand programmes never holds a CPU of the server or of
// PostgreSQL for long while play checks share the machine.
//
// A programme with no stop ends when the next programme of its channel
// starts. ReplaceGuide returns CodeNotFound for an unknown source and
// CodeConflict when another instance is importing the same source.
func (s *Store) ReplaceGuide(ctx context.Context, sourceID int64, guide func(yield func(GuideItem) error) error) (GuideCounts, error) {
	var counts GuideCounts
	var guideErr error
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		daysKeep, err := lockEPGSource(ctx, tx, sourceID)
		if err != nil {
			return err
		}
		p := pace.New(pace.DefaultShare)
		src := newGuideCopySource(ctx, guide, p)
		defer src.stop()
		defer func() { guideErr = src.Err() }()
		staged, err := stageProgrammes(ctx, tx, src)
		if err != nil {
			return err
		}
		counts.Programmes, err = swapProgrammes(ctx, tx, p, sourceID, time.Now().AddDate(0, 0, -daysKeep))
		if err != nil {
			return err
		}
		counts.Dropped = int(staged) - counts.Programmes
		counts.Channels = len(src.channels)
		if err := p.Check(ctx); err != nil {
			return err
		}
		return replaceChannels(ctx, tx, sourceID, src.channels)
	})
	if guideErr != nil {
		// The guide's own error, as it is: a failed download's network error
		// is not the database being unavailable.
		return GuideCounts{}, fmt.Errorf("replace guide of epg source %d: %w", sourceID, guideErr)
	}
	if err != nil {
		return GuideCounts{}, fmt.Errorf("replace guide of epg source %d: %w", sourceID, err)
	}
	return counts, nil
}

// lockEPGSource takes the source's import lock for the transaction and
// returns its days_keep.
func lockEPGSource(ctx context.Context, tx pgx.Tx, id int64) (int, error) {
	var daysKeep int
	if err := tx.QueryRow(ctx, `SELECT days_keep FROM epg_sources WHERE id = $1`, id).Scan(&daysKeep); err != nil {
		return 0, err
	}
	var locked bool
	if err := tx.QueryRow(ctx, `SELECT pg_try_advisory_xact_lock($1, ($2 % 2147483647)::int)`, epgLockClass, id).Scan(&locked); err != nil {
		return 0, err
	}
	if !locked {
		return 0, api.Errorf(api.CodeConflict, "epg source %d is being imported by another instance", id)
	}
	return daysKeep, nil
}

var stagingColumns = []string{"seq", "channel_epg_id", "start_at", "stop_at", "title", "sub_title", "description",
	"categories", "episode_system", "episode", "icon", "lang"}

func stageProgrammes(ctx context.Context, tx pgx.Tx, src *guideCopySource) (int64, error) {
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE epg_staging (
			seq bigint NOT NULL, channel_epg_id text NOT NULL, start_at timestamptz NOT NULL, stop_at timestamptz,
			title text NOT NULL, sub_title text NOT NULL, description text NOT NULL, categories text[] NOT NULL,
			episode_system text NOT NULL, episode text NOT NULL, icon text NOT NULL, lang text NOT NULL
		) ON COMMIT DROP`); err != nil {
		return 0, fmt.Errorf("create staging table: %w", err)
	}
	n, err := tx.CopyFrom(ctx, pgx.Identifier{"epg_staging"}, stagingColumns, src)
	if srcErr := src.Err(); srcErr != nil {
		return 0, srcErr // the guide's own error says more than COPY's
	}
	if err != nil {
		return 0, fmt.Errorf("copy programmes: %w", err)
	}
	// swapProgrammes takes the staged programmes a range of channels at a time.
	if _, err := tx.Exec(ctx, `CREATE INDEX ON epg_staging (channel_epg_id)`); err != nil {
		return 0, fmt.Errorf("index staging table: %w", err)
	}
	return n, nil
}

func replaceChannels(ctx context.Context, tx pgx.Tx, sourceID int64, channels map[string]api.EPGChannel) error {
	if _, err := tx.Exec(ctx, `DELETE FROM epg_channels WHERE source_id = $1`, sourceID); err != nil {
		return fmt.Errorf("delete old epg channels: %w", err)
	}
	rows := make([][]any, 0, len(channels))
	for _, ch := range channels {
		names := ch.DisplayNames
		if names == nil {
			names = []string{}
		}
		rows = append(rows, []any{sourceID, ch.EPGID, names, ch.Icon})
	}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"epg_channels"}, []string{"source_id", "epg_id", "display_names", "icon"},
		pgx.CopyFromRows(rows))
	if err != nil {
		return fmt.Errorf("copy epg channels: %w", err)
	}
	return nil
}

// guideCopySource turns the push-style guide function into the pull-style
// source COPY wants, with iter.Pull: no goroutine, no buffer, one item at a
// time. Channels are kept aside (merged by id) for replaceChannels.
type guideCopySource struct {
	ctx      context.Context
	p        *pace.Pacer // paces parsing and COPY, an item at a time
	next     func() (GuideItem, bool)
	stop     func()
	guideErr error // what guide returned, set when it has returned
	err      error
	seq      int64
	row      []any
	channels map[string]api.EPGChannel
}

func newGuideCopySource(ctx context.Context, guide func(yield func(GuideItem) error) error, p *pace.Pacer) *guideCopySource {
	g := &guideCopySource{ctx: ctx, p: p, channels: map[string]api.EPGChannel{}}
	g.next, g.stop = iter.Pull(func(yield func(GuideItem) bool) {
		err := guide(func(it GuideItem) error {
			if !yield(it) {
				return errGuideStopped
			}
			return nil
		})
		if err != nil && !errors.Is(err, errGuideStopped) {
			g.guideErr = err
		}
	})
	return g
}

// Next implements pgx.CopyFromSource.
func (g *guideCopySource) Next() bool {
	for {
		it, ok := g.next()
		switch {
		case !ok:
			return false
		case it.Channel != nil:
			if err := g.addChannel(*it.Channel); err != nil {
				g.err = err
				g.stop()
				return false
			}
		case it.Programme != nil:
			if err := g.p.Step(g.ctx); err != nil {
				g.err = err
				g.stop()
				return false
			}
			g.seq++
			g.row = programmeRow(g.seq, it.Programme)
			return true
		}
	}
}

func (g *guideCopySource) addChannel(ch api.EPGChannel) error {
	old, seen := g.channels[ch.EPGID]
	if !seen && len(g.channels) >= maxGuideChannels {
		return fmt.Errorf("guide has more than %d channels", maxGuideChannels)
	}
	if seen { // XMLTV allows a channel to be given twice; merge, as Kodi does
		ch.DisplayNames = append(old.DisplayNames, ch.DisplayNames...)
		if ch.Icon == "" {
			ch.Icon = old.Icon
		}
	}
	ch.DisplayNames = ch.DisplayNames[:min(len(ch.DisplayNames), MaxChannelDisplayNames)]
	g.channels[ch.EPGID] = ch
	return nil
}

func programmeRow(seq int64, p *api.EPGProgramme) []any {
	var stop *time.Time
	if !p.Stop.IsZero() {
		stop = &p.Stop
	}
	cats := p.Categories
	if cats == nil {
		cats = []string{}
	}
	return []any{seq, p.ChannelEPGID, p.Start, stop, p.Title, p.SubTitle, p.Description, cats,
		p.EpisodeSystem, p.Episode, p.Icon, p.Lang}
}

// Values implements pgx.CopyFromSource.
func (g *guideCopySource) Values() ([]any, error) { return g.row, nil }

// Err implements pgx.CopyFromSource: the guide's error, or the source's own.
func (g *guideCopySource) Err() error {
	if g.err != nil {
		return g.err
	}
	return g.guideErr
}
