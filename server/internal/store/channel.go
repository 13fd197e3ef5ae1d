package store

import (
	"context"
	"fmt"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

const channelColumns = `c.id, c.name, c.title, c.logo_url, c.category_id, c.number, c.sources, c.epg_channel_id,
	c.dvr_days, c.pipeline_id, c.enabled, c.free, c.attributes, c.version, c.created_at, c.updated_at,
	(SELECT l.sha256 FROM channel_logos l WHERE l.channel_id = c.id)`

// LogoPath is the public path of an uploaded channel logo; the version query
// changes with the image, so players may cache the path for long.
func LogoPath(channelID int64, sha string) string {
	if len(sha) > 12 {
		sha = sha[:12]
	}
	return fmt.Sprintf("/logos/%d?v=%s", channelID, sha)
}

func scanChannel(row pgx.Row) (api.Channel, error) {
	var c api.Channel
	var sha *string
	err := row.Scan(&c.ID, &c.Name, &c.Title, &c.LogoURL, &c.CategoryID, &c.Number, &c.Sources, &c.EPGChannelID,
		&c.DVRDays, &c.PipelineID, &c.Enabled, &c.Free, &c.Attributes, &c.Version, &c.CreatedAt, &c.UpdatedAt, &sha)
	c.Logo = c.LogoURL
	if sha != nil {
		c.HasLogo, c.Logo = true, LogoPath(c.ID, *sha)
	}
	if c.Sources == nil {
		c.Sources = []api.Source{}
	}
	return c, err
}

func findChannel(ctx context.Context, db querier, id int64, lock string) (api.Channel, error) {
	return scanChannel(db.QueryRow(ctx, `SELECT `+channelColumns+` FROM channels c WHERE c.id = $1`+lock, id))
}

// FindChannelByID returns the channel with that id, or CodeNotFound.
func (s *Store) FindChannelByID(ctx context.Context, id int64) (api.Channel, error) {
	c, err := findChannel(ctx, s.pool, id, "")
	if err != nil {
		return c, fmt.Errorf("find channel %d: %w", id, interpretError(err))
	}
	return c, nil
}

// FindChannels returns a page of channels. ?q= is a case-insensitive prefix
// of name or title; sort by number (default), name, title or id.
func (s *Store) FindChannels(ctx context.Context, f api.ChannelFilter, p api.ListParams) (api.Page[api.Channel], error) {
	q := listQuery{selectFrom: `SELECT ` + channelColumns + ` FROM channels c`, idExpr: "c.id",
		search: []string{"lower(c.name)", "lower(c.title)"}, defaultSort: "number", sorts: map[string]sortKey{
			"number": {expr: "c.number", cast: "integer", key: func(v any) string { return fmt.Sprint(v.(api.Channel).Number) }},
			"name":   {expr: "lower(c.name)", cast: "text", key: func(v any) string { return lowerString(v.(api.Channel).Name) }},
			"title":  {expr: "lower(c.title)", cast: "text", key: func(v any) string { return lowerString(v.(api.Channel).Title) }},
			"id":     {expr: "c.id", cast: "bigint", key: func(v any) string { return fmt.Sprint(v.(api.Channel).ID) }},
		}}
	if f.CategoryID != 0 {
		q.filter("c.category_id = %s", f.CategoryID)
	}
	if f.PipelineID != 0 {
		q.filter("c.pipeline_id = %s", f.PipelineID)
	}
	if f.Enabled != nil {
		q.filter("c.enabled = %s", *f.Enabled)
	}
	page, err := findPage(ctx, s.pool, q, p, scanChannel, func(c api.Channel) int64 { return c.ID })
	if err != nil {
		return page, fmt.Errorf("find channels: %w", err)
	}
	return page, nil
}

// CreateChannel adds a channel. It returns CodeInvalid (also for a category
// or pipeline that does not exist) or CodeConflict when the name is taken.
func (s *Store) CreateChannel(ctx context.Context, actor api.Actor, in api.ChannelCreate) (api.Channel, error) {
	c := in.Channel()
	if err := c.Validate(); err != nil {
		return c, err
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		c, err = scanChannel(tx.QueryRow(ctx, `INSERT INTO channels AS c (name, title, logo_url, category_id, number,
			sources, epg_channel_id, dvr_days, pipeline_id, enabled, free, attributes)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING `+channelColumns,
			c.Name, c.Title, c.LogoURL, c.CategoryID, c.Number, c.Sources, c.EPGChannelID, c.DVRDays, c.PipelineID,
			c.Enabled, c.Free, jsonObject(c.Attributes)))
		if err != nil {
			return err
		}
		return writeChange(ctx, tx, rowWrite(actor, api.OpCreate, api.EntityChannel, c.ID, nil, c))
	})
	if err != nil {
		return c, fmt.Errorf("create channel: %w", err)
	}
	return c, nil
}

// UpdateChannel applies u. It returns CodeNotFound, CodeConflict (stale
// version or name taken) or CodeInvalid.
func (s *Store) UpdateChannel(ctx context.Context, actor api.Actor, id int64, u api.ChannelUpdate) (api.Channel, error) {
	var after api.Channel
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		before, err := findChannel(ctx, tx, id, " FOR UPDATE OF c")
		if err != nil {
			return err
		}
		if err := checkVersion("channel", id, before.Version, u.Version); err != nil {
			return err
		}
		after = u.Apply(before)
		if err := after.Validate(); err != nil {
			return err
		}
		after, err = scanChannel(tx.QueryRow(ctx, `UPDATE channels AS c SET name = $2, title = $3, logo_url = $4,
			category_id = $5, number = $6, sources = $7, epg_channel_id = $8, dvr_days = $9, pipeline_id = $10,
			enabled = $11, free = $12, attributes = $13, version = version + 1, updated_at = now()
			WHERE id = $1 RETURNING `+channelColumns,
			id, after.Name, after.Title, after.LogoURL, after.CategoryID, after.Number, after.Sources, after.EPGChannelID,
			after.DVRDays, after.PipelineID, after.Enabled, after.Free, jsonObject(after.Attributes)))
		if err != nil {
			return err
		}
		return writeChange(ctx, tx, rowWrite(actor, api.OpUpdate, api.EntityChannel, id, before, after))
	})
	if err != nil {
		return after, fmt.Errorf("update channel %d: %w", id, err)
	}
	return after, nil
}

// DeleteChannel removes a channel and, by the schema's cascade, its place in
// every package. Each package it leaves gets its version bumped and an audit
// record ("remove_channel") so the removal is visible where operators look
// for it. It returns CodeNotFound.
func (s *Store) DeleteChannel(ctx context.Context, actor api.Actor, id int64) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		before, err := findChannel(ctx, tx, id, " FOR UPDATE OF c")
		if err != nil {
			return err
		}
		pkgs, err := packagesBefore(ctx, tx, `SELECT package_id FROM package_channels WHERE channel_id = $1`, id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM channels WHERE id = $1`, id); err != nil {
			return err
		}
		if err := recordPackageCascade(ctx, tx, actor, "remove_channel", pkgs); err != nil {
			return err
		}
		return writeChange(ctx, tx, rowWrite(actor, api.OpDelete, api.EntityChannel, id, before, nil))
	})
	if err != nil {
		return fmt.Errorf("delete channel %d: %w", id, err)
	}
	return nil
}
