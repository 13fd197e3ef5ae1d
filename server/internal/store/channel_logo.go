package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

// ChannelLogo is an uploaded logo image.
type ChannelLogo struct {
	ContentType string
	Data        []byte
	SHA256      string
	UpdatedAt   time.Time
}

// FindChannelLogo returns the uploaded logo of a channel, or CodeNotFound.
func (s *Store) FindChannelLogo(ctx context.Context, channelID int64) (ChannelLogo, error) {
	var l ChannelLogo
	err := s.pool.QueryRow(ctx, `SELECT content_type, data, sha256, updated_at FROM channel_logos WHERE channel_id = $1`,
		channelID).Scan(&l.ContentType, &l.Data, &l.SHA256, &l.UpdatedAt)
	if err != nil {
		return l, fmt.Errorf("find channel %d logo: %w", channelID, interpretError(err))
	}
	return l, nil
}

// SetChannelLogo stores (or replaces) the uploaded logo of a channel and bumps
// the channel's version, since its logo URL changes. The caller checks the
// content type and size. It returns CodeNotFound.
func (s *Store) SetChannelLogo(ctx context.Context, actor api.Actor, channelID int64, contentType string, data []byte) (api.Channel, error) {
	sum := sha256.Sum256(data)
	sha := hex.EncodeToString(sum[:])
	return s.changeChannelLogo(ctx, actor, channelID, "set_logo", func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO channel_logos (channel_id, content_type, data, sha256) VALUES ($1, $2, $3, $4)
			ON CONFLICT (channel_id) DO UPDATE SET content_type = $2, data = $3, sha256 = $4, updated_at = now()`,
			channelID, contentType, data, sha)
		return err
	})
}

// DeleteChannelLogo removes the uploaded logo; the channel's logo_url, if
// any, becomes its logo again. It returns CodeNotFound when the channel has
// no uploaded logo.
func (s *Store) DeleteChannelLogo(ctx context.Context, actor api.Actor, channelID int64) (api.Channel, error) {
	return s.changeChannelLogo(ctx, actor, channelID, "delete_logo", func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM channel_logos WHERE channel_id = $1`, channelID)
		if err == nil && tag.RowsAffected() == 0 {
			return api.Errorf(api.CodeNotFound, "channel %d has no uploaded logo", channelID)
		}
		return err
	})
}

func (s *Store) changeChannelLogo(ctx context.Context, actor api.Actor, id int64, action api.Op, change func(pgx.Tx) error) (api.Channel, error) {
	var after api.Channel
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		before, err := findChannel(ctx, tx, id, " FOR UPDATE OF c")
		if err != nil {
			return err
		}
		if err := change(tx); err != nil {
			return err
		}
		after, err = scanChannel(tx.QueryRow(ctx, `UPDATE channels AS c SET version = version + 1, updated_at = now()
			WHERE id = $1 RETURNING `+channelColumns, id))
		if err != nil {
			return err
		}
		return writeChange(ctx, tx, rowWrite(actor, api.OpUpdate, api.EntityChannel, id, before, after).as(action))
	})
	if err != nil {
		return after, fmt.Errorf("%s of channel %d: %w", action, id, err)
	}
	return after, nil
}
