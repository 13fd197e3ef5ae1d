package playauth

import (
	"context"
	"time"

	"canale/shared/api"
)

// PlayerGaveUp names the sessions of one browser player that stopped
// trying: the edge admitted its first request, but the playback then
// failed, so nothing is being watched.
type PlayerGaveUp struct {
	SubscriberID, ChannelID int64
	// IP and UserAgent are the browser's, as the edge reported them.
	IP, UserAgent string
	// Since is when the player's page loaded: older sessions of the same
	// browser (another tab that plays) are left alone.
	Since time.Time
}

// EndGaveUpSessions ends the live sessions that match g through the same
// path as a session its edge reported ended (close_reason 'ended'), so a
// failed play stops showing as watched and counting against the limit at
// once. It returns how many it ended.
func (s *Service) EndGaveUpSessions(ctx context.Context, g PlayerGaveUp) (int, error) {
	if err := s.writer.flush(ctx); err != nil { // a just-admitted session may still be queued
		return 0, err
	}
	pg, err := s.Store.FindPlaySessions(ctx, api.PlaySessionFilter{SubscriberID: g.SubscriberID}, api.ListParams{Limit: api.MaxLimit})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, ps := range pg.Items {
		if ps.ChannelID == nil || *ps.ChannelID != g.ChannelID || ps.IP != g.IP || ps.UserAgent != g.UserAgent ||
			ps.OpenedAt.Before(g.Since) {
			continue
		}
		s.endSession(ctx, ps.SessionID)
		n++
	}
	return n, nil
}
