package store

import (
	"context"
	"fmt"
	"time"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// PlaySessionWrite is the latest state of one play session, as the session
// writer batches it and admission inserts it.
type PlaySessionWrite struct {
	SessionID    string
	SubscriberID int64
	ChannelID    int64 // 0: not a known channel
	Name         string
	StreamerID   int64 // 0: not a registered streamer
	StreamerHost string
	IP           string
	UserAgent    string
	Proto        string
	DVR          bool
	Bytes        int64
	OpenedAt     time.Time
	UpdatedAt    time.Time
	ExpiresAt    time.Time
}

// PlaySessionAdmission asks to admit a new session under its subscriber's
// cluster-wide limit.
type PlaySessionAdmission struct {
	Session     PlaySessionWrite
	MaxSessions int  // 0: no limit
	EndOldest   bool // past the limit, end the oldest sessions instead of refusing this one
}

// EndedSession names a session that admission ended to make room.
type EndedSession struct {
	SessionID  string
	StreamerID int64
}

// AdmissionResult is the outcome of AdmitPlaySession.
type AdmissionResult struct {
	Admitted bool
	Killed   bool // the session id was killed by an administrator or cut by the limit
	Live     int  // live sessions of the subscriber, this one included when admitted
	Ended    []EndedSession
}

// advisoryNamespace keeps the per-subscriber admission locks apart from any
// other advisory lock (the migration lock uses the one-argument form).
const advisoryNamespace = 0x706c6179 // "play"

// AdmitPlaySession decides, under a per-subscriber advisory lock held for one
// transaction, whether a session id not seen before may open: every instance
// that admits sessions of the subscriber serialises on the same lock and
// counts the same rows, so the limit holds cluster-wide. An admitted session
// is inserted (or refreshed) before the lock is released. It returns
// CodeUnavailable when the database cannot be reached.
func (s *Store) AdmitPlaySession(ctx context.Context, a PlaySessionAdmission) (AdmissionResult, error) {
	var res AdmissionResult
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		res, err = admit(ctx, tx, a)
		return err
	})
	if err != nil {
		return AdmissionResult{}, fmt.Errorf("admit play session %s: %w", a.Session.SessionID, err)
	}
	return res, nil
}

func admit(ctx context.Context, tx pgx.Tx, a PlaySessionAdmission) (AdmissionResult, error) {
	w := a.Session
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, $2)`, int32(advisoryNamespace), int32(w.SubscriberID)); err != nil {
		return AdmissionResult{}, err
	}
	var reason string
	err := tx.QueryRow(ctx, `SELECT close_reason FROM play_sessions WHERE session_id = $1 AND closed_at IS NOT NULL`, w.SessionID).Scan(&reason)
	if err == nil && (reason == "killed" || reason == "limit") {
		return AdmissionResult{Killed: true}, nil
	} else if err != nil && err != pgx.ErrNoRows {
		return AdmissionResult{}, err
	}
	rows, _ := tx.Query(ctx, `SELECT session_id, coalesce(streamer_id, 0) FROM play_sessions
		WHERE subscriber_id = $1 AND closed_at IS NULL AND expires_at > now() AND session_id <> $2
		ORDER BY opened_at, id`, w.SubscriberID, w.SessionID)
	others, err := pgx.CollectRows(rows, pgx.RowToStructByPos[EndedSession])
	if err != nil {
		return AdmissionResult{}, err
	}
	res := AdmissionResult{Live: len(others)}
	if a.MaxSessions > 0 && len(others) >= a.MaxSessions {
		if !a.EndOldest {
			return res, nil
		}
		res.Ended = others[:len(others)-a.MaxSessions+1]
		if err := endSessions(ctx, tx, res.Ended); err != nil {
			return AdmissionResult{}, err
		}
		res.Live -= len(res.Ended)
	}
	if err := upsertPlaySessions(ctx, tx, []PlaySessionWrite{w}, true); err != nil {
		return AdmissionResult{}, err
	}
	res.Admitted, res.Live = true, res.Live+1
	return res, nil
}

// endSessions closes sessions cut by the limit and tells every instance, so
// their next check is refused wherever it arrives.
func endSessions(ctx context.Context, tx pgx.Tx, ended []EndedSession) error {
	ids := make([]string, len(ended))
	for i, e := range ended {
		ids[i] = e.SessionID
	}
	if _, err := tx.Exec(ctx, `UPDATE play_sessions SET closed_at = now(), close_reason = 'limit'
		WHERE session_id = ANY($1)`, ids); err != nil {
		return fmt.Errorf("end sessions: %w", err)
	}
	for _, id := range ids {
		if err := writeChange(ctx, tx, write{change: api.Change{Entity: api.EntityPlaySession, ID: id, Op: api.OpDelete}}); err != nil {
			return err
		}
	}
	return nil
}

// UpsertPlaySessions writes a batch of session states in one statement: new
// sessions are inserted, known ones get the later of the times and byte
// counts. Closed sessions stay closed. Session ids must be unique in ws.
func (s *Store) UpsertPlaySessions(ctx context.Context, ws []PlaySessionWrite) error {
	if len(ws) == 0 {
		return nil
	}
	if err := upsertPlaySessions(ctx, s.pool, ws, false); err != nil {
		return fmt.Errorf("write %d play sessions: %w", len(ws), interpretError(err))
	}
	return nil
}

// queryExecer is a pool or a transaction.
type queryExecer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

func upsertPlaySessions(ctx context.Context, db queryExecer, ws []PlaySessionWrite, reopen bool) error {
	n := len(ws)
	var (
		sid, name, host, ip, ua, proto = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		sub, ch, str, bytes            = make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
		dvr                            = make([]bool, n)
		opened, updated, expires       = make([]time.Time, n), make([]time.Time, n), make([]time.Time, n)
	)
	for i, w := range ws {
		sid[i], name[i], host[i], ip[i], ua[i], proto[i] = w.SessionID, w.Name, w.StreamerHost, w.IP, w.UserAgent, w.Proto
		sub[i], ch[i], str[i], bytes[i], dvr[i] = w.SubscriberID, w.ChannelID, w.StreamerID, w.Bytes, w.DVR
		opened[i], updated[i], expires[i] = w.OpenedAt, w.UpdatedAt, w.ExpiresAt
	}
	// reopen lets admission revive a session that merely expired (its player
	// came back after a pause); killed or cut sessions never reach here.
	// Without it a write still revives a session that ended (the edge or the
	// portal's player reported it gone): a later check of the same id is
	// its player back, e.g. Retry after a failed play, and the instance
	// forgot the session when it ended, so no stale state comes here.
	where := `WHERE play_sessions.closed_at IS NULL OR play_sessions.close_reason = 'ended'`
	if reopen {
		where = ``
	}
	_, err := db.Exec(ctx, `INSERT INTO play_sessions (session_id, subscriber_id, channel_id, name, streamer_id,
			streamer_host, ip, user_agent, proto, dvr, bytes, opened_at, updated_at, expires_at)
		SELECT u.sid, u.sub, nullif(u.ch, 0), u.name, nullif(u.str, 0), u.host, u.ip, u.ua, u.proto, u.dvr,
			u.bytes, u.opened, u.updated, u.expires
		FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::bigint[], $6::text[], $7::text[],
			$8::text[], $9::text[], $10::bool[], $11::bigint[], $12::timestamptz[], $13::timestamptz[], $14::timestamptz[])
			AS u(sid, sub, ch, name, str, host, ip, ua, proto, dvr, bytes, opened, updated, expires)
		ON CONFLICT (session_id) DO UPDATE SET
			updated_at = greatest(play_sessions.updated_at, excluded.updated_at),
			expires_at = greatest(play_sessions.expires_at, excluded.expires_at),
			bytes = greatest(play_sessions.bytes, excluded.bytes),
			closed_at = NULL, close_reason = ''
		`+where,
		sid, sub, ch, name, str, host, ip, ua, proto, dvr, bytes, opened, updated, expires)
	return err
}

// EndPlaySession closes a live session whose edge reported the player gone
// (nginx-rtmp on_play_done), at at: it stops counting against the
// subscriber's limit at once, and history shows when viewing stopped.
// Closing an unknown or already closed session does nothing.
func (s *Store) EndPlaySession(ctx context.Context, sessionID string, at time.Time) error {
	_, err := s.pool.Exec(ctx, `UPDATE play_sessions SET closed_at = $2, close_reason = 'ended',
			updated_at = greatest(updated_at, $2), expires_at = least(expires_at, $2)
		WHERE session_id = $1 AND closed_at IS NULL`, sessionID, at)
	if err != nil {
		return fmt.Errorf("end play session %s: %w", sessionID, interpretError(err))
	}
	return nil
}

// CloseExpiredPlaySessions closes live rows whose checks stopped, at the time
// they expired, so history shows when viewing ended.
func (s *Store) CloseExpiredPlaySessions(ctx context.Context) (int64, error) {
	tag, err := s.pool.Exec(ctx, `UPDATE play_sessions SET closed_at = expires_at, close_reason = 'expired'
		WHERE closed_at IS NULL AND expires_at < now()`)
	if err != nil {
		return 0, fmt.Errorf("close expired play sessions: %w", interpretError(err))
	}
	return tag.RowsAffected(), nil
}

const playSessionColumns = `id, session_id, subscriber_id, channel_id, name, streamer_id, streamer_host, ip,
	user_agent, proto, dvr, bytes, opened_at, updated_at, expires_at, closed_at, close_reason`

func scanPlaySession(row pgx.Row) (api.PlaySession, error) {
	var p api.PlaySession
	err := row.Scan(&p.ID, &p.SessionID, &p.SubscriberID, &p.ChannelID, &p.Name, &p.StreamerID, &p.StreamerHost,
		&p.IP, &p.UserAgent, &p.Proto, &p.DVR, &p.Bytes, &p.OpenedAt, &p.UpdatedAt, &p.ExpiresAt, &p.ClosedAt, &p.CloseReason)
	return p, err
}

// playSessionNamedColumns are playSessionColumns of play_sessions ps with
// the subscriber's login and the streamer's name joined (empty when gone).
const playSessionNamedColumns = `ps.id, ps.session_id, ps.subscriber_id, ps.channel_id, ps.name, ps.streamer_id,
	ps.streamer_host, ps.ip, ps.user_agent, ps.proto, ps.dvr, ps.bytes, ps.opened_at, ps.updated_at, ps.expires_at,
	ps.closed_at, ps.close_reason, coalesce(sub.login, ''), coalesce(st.name, '')`

const playSessionNamedFrom = ` FROM play_sessions ps
	LEFT JOIN subscribers sub ON sub.id = ps.subscriber_id
	LEFT JOIN streamers st ON st.id = ps.streamer_id`

func scanNamedPlaySession(row pgx.Row) (api.PlaySession, error) {
	var p api.PlaySession
	err := row.Scan(&p.ID, &p.SessionID, &p.SubscriberID, &p.ChannelID, &p.Name, &p.StreamerID, &p.StreamerHost,
		&p.IP, &p.UserAgent, &p.Proto, &p.DVR, &p.Bytes, &p.OpenedAt, &p.UpdatedAt, &p.ExpiresAt, &p.ClosedAt,
		&p.CloseReason, &p.SubscriberLogin, &p.StreamerName)
	return p, err
}

// FindPlaySessions lists sessions newest first: live ones, or with
// f.History every recorded one. It pages by id (keyset) and returns
// CodeInvalid for a bad cursor.
func (s *Store) FindPlaySessions(ctx context.Context, f api.PlaySessionFilter, p api.ListParams) (api.Page[api.PlaySession], error) {
	q := listQuery{selectFrom: `SELECT ` + playSessionNamedColumns + playSessionNamedFrom, idExpr: "ps.id"}
	if !f.History {
		q.where = append(q.where, `ps.closed_at IS NULL AND ps.expires_at > now()`)
	}
	if f.Channel != "" {
		q.filter(`ps.name = %s`, f.Channel)
	}
	if f.SubscriberID != 0 {
		q.filter(`ps.subscriber_id = %s`, f.SubscriberID)
	}
	if f.SubscriberLogin != "" {
		q.filter(`lower(sub.login) = lower(%s)`, f.SubscriberLogin)
	}
	if f.StreamerID != 0 {
		q.filter(`ps.streamer_id = %s`, f.StreamerID)
	}
	page, err := findNewestFirst(ctx, s.pool, q, p, scanNamedPlaySession, func(ps api.PlaySession) int64 { return ps.ID })
	if err != nil {
		return page, fmt.Errorf("find play sessions: %w", err)
	}
	return page, nil
}

// KillPlaySession closes a session on an administrator's order and tells
// every instance, so its next check is refused (session_killed). It returns
// CodeNotFound when no session has that id.
func (s *Store) KillPlaySession(ctx context.Context, actor api.Actor, id int64) (api.PlaySession, error) {
	var after api.PlaySession
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := checkResellerKill(ctx, tx, actor, id); err != nil {
			return err
		}
		var err error
		after, err = scanPlaySession(tx.QueryRow(ctx, `UPDATE play_sessions
			SET closed_at = coalesce(closed_at, now()), close_reason = 'killed'
			WHERE id = $1 RETURNING `+playSessionColumns, id))
		if err != nil {
			return err
		}
		return writeChange(ctx, tx, write{change: api.Change{Entity: api.EntityPlaySession, ID: after.SessionID, Op: api.OpDelete},
			actor: actor, action: api.OpKill, entityID: id, after: after})
	})
	if err != nil {
		return api.PlaySession{}, fmt.Errorf("kill play session %d: %w", id, err)
	}
	return after, nil
}
