package store

import (
	"context"
	"fmt"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

// RecentChannelsKept bounds a subscriber's recently watched channels: the
// portal shows a row of them, and a subscriber who zaps all evening must not
// grow the table without end.
const RecentChannelsKept = 20

// entitledChannel is the condition that channel $2 is one subscriber $1 may
// watch: enabled, and free or in a free package or one of theirs. It is the
// database form of subscriberview's line-up rule, so a forged form cannot
// store a channel the subscriber's packages do not hold, whatever surface
// asks.
const entitledChannel = `EXISTS (SELECT 1 FROM channels c WHERE c.id = $2 AND c.enabled AND (c.free OR EXISTS (
	SELECT 1 FROM package_channels pc JOIN packages p ON p.id = pc.package_id
	WHERE pc.channel_id = c.id AND (p.free OR EXISTS (
		SELECT 1 FROM subscriber_packages sp WHERE sp.subscriber_id = $1 AND sp.package_id = p.id)))))`

// The favourites and recently watched writes below skip writeChange on
// purpose: they are a subscriber's own preferences, read from the database
// on each page, so no instance caches them and nothing is audited or
// announced.

// SetFavouriteChannel adds (on) or removes a channel from the subscriber's
// favourites. Adding a channel the subscriber may not watch is CodeNotFound,
// as if it did not exist; removing is allowed always, so a channel that
// left the subscriber's packages can still be taken off the list.
func (s *Store) SetFavouriteChannel(ctx context.Context, subscriberID, channelID int64, on bool) error {
	if !on {
		_, err := s.pool.Exec(ctx, `DELETE FROM subscriber_favourites WHERE subscriber_id = $1 AND channel_id = $2`,
			subscriberID, channelID)
		if err != nil {
			return fmt.Errorf("remove favourite channel %d of subscriber %d: %w", channelID, subscriberID, interpretError(err))
		}
		return nil
	}
	tag, err := s.pool.Exec(ctx, `INSERT INTO subscriber_favourites (subscriber_id, channel_id)
		SELECT $1, $2 WHERE `+entitledChannel+` ON CONFLICT DO NOTHING`, subscriberID, channelID)
	if err != nil {
		return fmt.Errorf("add favourite channel %d of subscriber %d: %w", channelID, subscriberID, interpretError(err))
	}
	if tag.RowsAffected() == 0 {
		return s.notEntitled(ctx, subscriberID, channelID)
	}
	return nil
}

// notEntitled explains a write that stored nothing: fine when the row was
// already there, CodeNotFound when the subscriber may not watch the channel.
func (s *Store) notEntitled(ctx context.Context, subscriberID, channelID int64) error {
	var ok bool
	if err := s.pool.QueryRow(ctx, `SELECT `+entitledChannel, subscriberID, channelID).Scan(&ok); err != nil {
		return fmt.Errorf("check channel %d of subscriber %d: %w", channelID, subscriberID, interpretError(err))
	}
	if !ok {
		return api.Errorf(api.CodeNotFound, "channel_id: channel %d is not in the packages of subscriber %d", channelID, subscriberID)
	}
	return nil
}

// FavouriteChannels returns the ids of the subscriber's favourite channels,
// the most recently added first.
func (s *Store) FavouriteChannels(ctx context.Context, subscriberID int64) ([]int64, error) {
	return s.channelIDs(ctx, "favourite channels", `SELECT channel_id FROM subscriber_favourites
		WHERE subscriber_id = $1 ORDER BY created_at DESC, channel_id`, subscriberID)
}

// RecordWatched puts the channel first in the subscriber's recently watched
// list and trims the list to RecentChannelsKept, in one transaction so two
// players reporting at once cannot leave more. A channel the subscriber may
// not watch is CodeNotFound.
func (s *Store) RecordWatched(ctx context.Context, subscriberID, channelID int64) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO subscriber_recent_channels (subscriber_id, channel_id)
			SELECT $1, $2 WHERE `+entitledChannel+`
			ON CONFLICT (subscriber_id, channel_id) DO UPDATE SET watched_at = now()`, subscriberID, channelID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return api.Errorf(api.CodeNotFound, "channel_id: channel %d is not in the packages of subscriber %d", channelID, subscriberID)
		}
		_, err = tx.Exec(ctx, `DELETE FROM subscriber_recent_channels WHERE subscriber_id = $1 AND channel_id NOT IN (
			SELECT channel_id FROM subscriber_recent_channels WHERE subscriber_id = $1
			ORDER BY watched_at DESC, channel_id DESC LIMIT $2)`, subscriberID, RecentChannelsKept)
		return err
	})
	if err != nil {
		return fmt.Errorf("record channel %d watched by subscriber %d: %w", channelID, subscriberID, interpretError(err))
	}
	return nil
}

// RecentChannels returns the ids of the channels the subscriber watched
// last, the latest first, at most RecentChannelsKept.
func (s *Store) RecentChannels(ctx context.Context, subscriberID int64) ([]int64, error) {
	return s.channelIDs(ctx, "recent channels", `SELECT channel_id FROM subscriber_recent_channels
		WHERE subscriber_id = $1 ORDER BY watched_at DESC, channel_id DESC LIMIT `+fmt.Sprint(RecentChannelsKept), subscriberID)
}

func (s *Store) channelIDs(ctx context.Context, what, query string, subscriberID int64) ([]int64, error) {
	rows, _ := s.pool.Query(ctx, query, subscriberID)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("list %s of subscriber %d: %w", what, subscriberID, interpretError(err))
	}
	return ids, nil
}
