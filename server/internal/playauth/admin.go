package playauth

import (
	"context"
	"time"

	"canale/server/internal/flussonic"
	"canale/shared/api"
)

// FindPlaySessions lists sessions for the admin API.
func (s *Service) FindPlaySessions(ctx context.Context, f api.PlaySessionFilter, p api.ListParams) (api.Page[api.PlaySession], error) {
	return s.Store.FindPlaySessions(ctx, f, p)
}

// KillPlaySession ends a session: it is refused at its next check on every
// instance (session_killed), and when the streamer that carries it is
// registered, that streamer is asked to drop it now. It returns CodeNotFound
// for an unknown id.
func (s *Service) KillPlaySession(ctx context.Context, actor api.Actor, id int64) (api.PlaySession, error) {
	ps, err := s.Store.KillPlaySession(ctx, actor, id)
	if err != nil {
		return api.PlaySession{}, err
	}
	s.sessions.kill(ps.SessionID, s.Now())
	if ps.StreamerID != nil {
		s.dropOnStreamer(*ps.StreamerID, ps.SessionID)
	}
	return ps, nil
}

// dropOnStreamer asks a registered streamer, in the background, to close a
// session before its X-AuthDuration runs out (DELETE /sessions/{id}).
func (s *Service) dropOnStreamer(streamerID int64, sessionID string) {
	st, ok := s.Catalog.StreamerByID(streamerID)
	if !ok || streamerID == 0 {
		return
	}
	c, err := flussonic.New(flussonic.Config{BaseURL: st.APIURL, Login: st.APILogin, Password: st.APIPassword,
		Key: st.APIKey, HTTPClient: s.HTTPClient})
	if err != nil {
		s.Logger.Warn("streamer client", "streamer_id", streamerID, "error", err)
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		if err := c.DeleteSession(ctx, sessionID); err != nil {
			s.Logger.Warn("ask streamer to drop session", "streamer_id", streamerID, "session_id", sessionID, "error", err)
		}
	}()
}
