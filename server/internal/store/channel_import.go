package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

// ChannelImport is one channel of a bulk import: the channel, the name of its
// live category (created when missing) and the line it came from.
type ChannelImport struct {
	Line     int
	Category string
	Channel  api.Channel
}

// errDryRun rolls back a dry run after its report is made.
var errDryRun = errors.New("dry run")

// ImportChannels creates or updates the channels of items in one transaction.
// A channel whose name exists is updated (title, sources; logo, EPG id,
// category and number only where the playlist gives them) or, with
// SkipExisting, left alone and reported as skipped. Missing live categories
// are created. New channels go in with COPY, updates with one statement, so
// ten thousand lines take a second or so; the audit log gets one "import"
// record and the read models one "reset" change. With DryRun nothing is kept.
func (s *Store) ImportChannels(ctx context.Context, actor api.Actor, items []ChannelImport, o api.ImportOptions) (api.ImportReport, error) {
	r := api.ImportReport{Total: len(items), DryRun: o.DryRun, Skipped: []api.ImportLine{}, Errors: []api.ImportLine{}}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		cats, err := importCategories(ctx, tx, items, &r)
		if err != nil {
			return err
		}
		existing, err := existingChannels(ctx, tx, items)
		if err != nil {
			return err
		}
		var fresh, changed []ChannelImport
		for _, it := range items {
			switch _, ok := existing[it.Channel.Name]; {
			case !ok:
				fresh = append(fresh, it)
			case o.SkipExisting:
				r.Skipped = append(r.Skipped, api.ImportLine{Line: it.Line, Name: it.Channel.Name, Reason: "a channel with this name exists"})
			default:
				changed = append(changed, it)
			}
		}
		s.logger.InfoContext(ctx, "channel import", "total", len(items), "new", len(fresh), "existing", len(changed))
		if r.Created, err = copyChannels(ctx, tx, fresh, cats); err != nil {
			return err
		}
		if r.Updated, err = updateImported(ctx, tx, changed, existing, cats); err != nil {
			return err
		}
		summary := map[string]any{"created": r.Created, "updated": r.Updated, "skipped": len(r.Skipped),
			"categories_created": r.CategoriesCreated}
		if err := writeChange(ctx, tx, write{change: api.Change{Entity: api.EntityChannel, Op: api.OpReset},
			actor: actor, action: api.OpImport, entityID: "m3u", after: summary}); err != nil {
			return err
		}
		if o.DryRun {
			return errDryRun
		}
		return nil
	})
	if errors.Is(err, errDryRun) {
		return r, nil
	}
	if err != nil {
		return r, fmt.Errorf("import channels: %w", err)
	}
	r.Applied = true
	return r, nil
}

// importCategories returns the ids of the live categories items name (by
// lower-cased name), creating the missing ones.
func importCategories(ctx context.Context, tx pgx.Tx, items []ChannelImport, r *api.ImportReport) (map[string]int64, error) {
	var names []string
	seen := map[string]bool{}
	for _, it := range items {
		k := strings.ToLower(strings.TrimSpace(it.Category))
		if k != "" && !seen[k] {
			seen[k] = true
			names = append(names, strings.TrimSpace(it.Category))
		}
	}
	ids := map[string]int64{}
	rows, err := tx.Query(ctx, `INSERT INTO categories (kind, name, position)
		SELECT 'live', n, coalesce((SELECT max(position) FROM categories WHERE kind = 'live'), 0) + o
		FROM unnest($1::text[]) WITH ORDINALITY AS x(n, o)
		WHERE NOT EXISTS (SELECT 1 FROM categories c WHERE c.kind = 'live' AND lower(c.name) = lower(x.n))
		RETURNING id`, names)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		r.CategoriesCreated++
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = tx.Query(ctx, `SELECT id, lower(name) FROM categories WHERE kind = 'live' AND lower(name) = ANY(
		SELECT lower(n) FROM unnest($1::text[]) n)`, names)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n string
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		ids[n] = id
	}
	return ids, rows.Err()
}

// existingChannels maps the names of items that exist to their ids, locking
// those rows.
func existingChannels(ctx context.Context, tx pgx.Tx, items []ChannelImport) (map[string]int64, error) {
	names := make([]string, len(items))
	for i, it := range items {
		names[i] = it.Channel.Name
	}
	rows, err := tx.Query(ctx, `SELECT id, name FROM channels WHERE name = ANY($1::text[]) FOR UPDATE`, names)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var id int64
		var n string
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[n] = id
	}
	return out, rows.Err()
}

func categoryOf(it ChannelImport, cats map[string]int64) *int64 {
	if id, ok := cats[strings.ToLower(strings.TrimSpace(it.Category))]; ok {
		return &id
	}
	return nil
}

// copyChannels inserts new channels with COPY. Channels without a number
// are numbered after the highest one.
func copyChannels(ctx context.Context, tx pgx.Tx, items []ChannelImport, cats map[string]int64) (int, error) {
	if len(items) == 0 {
		return 0, nil
	}
	var next int
	if err := tx.QueryRow(ctx, `SELECT coalesce(max(number), 0) FROM channels`).Scan(&next); err != nil {
		return 0, err
	}
	rows := make([][]any, len(items))
	for i, it := range items {
		c := it.Channel
		if c.Number == 0 {
			next++
			c.Number = next
		}
		sources, err := json.Marshal(c.Sources)
		if err != nil {
			return 0, err
		}
		rows[i] = []any{c.Name, c.Title, c.LogoURL, categoryOf(it, cats), c.Number, string(sources), c.EPGChannelID}
	}
	n, err := tx.CopyFrom(ctx, pgx.Identifier{"channels"},
		[]string{"name", "title", "logo_url", "category_id", "number", "sources", "epg_channel_id"}, pgx.CopyFromRows(rows))
	return int(n), err
}

// updateImported updates existing channels in one statement; empty playlist
// fields keep what the channel has.
func updateImported(ctx context.Context, tx pgx.Tx, items []ChannelImport, ids map[string]int64, cats map[string]int64) (int, error) {
	if len(items) == 0 {
		return 0, nil
	}
	n := len(items)
	id, cat, num := make([]int64, n), make([]int64, n), make([]int32, n)
	title, logo, epg, src := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	for i, it := range items {
		c := it.Channel
		id[i], title[i], logo[i], epg[i], num[i] = ids[c.Name], c.Title, c.LogoURL, c.EPGChannelID, int32(c.Number)
		if p := categoryOf(it, cats); p != nil {
			cat[i] = *p
		}
		b, err := json.Marshal(c.Sources)
		if err != nil {
			return 0, err
		}
		src[i] = string(b)
	}
	tag, err := tx.Exec(ctx, `UPDATE channels c SET title = u.title, sources = u.src::jsonb,
		logo_url = CASE WHEN u.logo = '' THEN c.logo_url ELSE u.logo END,
		epg_channel_id = CASE WHEN u.epg = '' THEN c.epg_channel_id ELSE u.epg END,
		category_id = CASE WHEN u.cat = 0 THEN c.category_id ELSE u.cat END,
		number = CASE WHEN u.num = 0 THEN c.number ELSE u.num END,
		version = c.version + 1, updated_at = now()
		FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::int[])
			AS u(id, title, src, logo, epg, cat, num)
		WHERE c.id = u.id`, id, title, src, logo, epg, cat, num)
	return int(tag.RowsAffected()), err
}
