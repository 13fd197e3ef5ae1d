package store

import (
	"context"
	"fmt"
	"time"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

// PlayRefusalWrite is one refused play check as the play authorizer's
// refusal writer batches it.
type PlayRefusalWrite struct {
	At           time.Time
	SubscriberID int64 // 0: the token named nobody
	ChannelID    int64 // 0: not a known channel
	Name         string
	StreamerID   int64 // 0: not a registered streamer
	StreamerHost string
	IP           string
	UserAgent    string
	Proto        string
	Reason       string
}

// InsertPlayRefusals records a batch of refusals in one statement.
func (s *Store) InsertPlayRefusals(ctx context.Context, ws []PlayRefusalWrite) error {
	if len(ws) == 0 {
		return nil
	}
	n := len(ws)
	var (
		at                                = make([]time.Time, n)
		sub, ch, str                      = make([]int64, n), make([]int64, n), make([]int64, n)
		name, host, ip, ua, proto, reason = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	)
	for i, w := range ws {
		at[i], sub[i], ch[i], str[i] = w.At, w.SubscriberID, w.ChannelID, w.StreamerID
		name[i], host[i], ip[i], ua[i], proto[i], reason[i] = w.Name, w.StreamerHost, w.IP, w.UserAgent, w.Proto, w.Reason
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO play_refusals (at, subscriber_id, channel_id, name, streamer_id,
			streamer_host, ip, user_agent, proto, reason)
		SELECT u.at, nullif(u.sub, 0), nullif(u.ch, 0), u.name, nullif(u.str, 0), u.host, u.ip, u.ua, u.proto, u.reason
		FROM unnest($1::timestamptz[], $2::bigint[], $3::bigint[], $4::text[], $5::bigint[], $6::text[], $7::text[],
			$8::text[], $9::text[], $10::text[]) AS u(at, sub, ch, name, str, host, ip, ua, proto, reason)`,
		at, sub, ch, name, str, host, ip, ua, proto, reason)
	if err != nil {
		return fmt.Errorf("write %d play refusals: %w", n, interpretError(err))
	}
	return nil
}

// PrunePlayRefusals deletes refusals recorded before before and returns how
// many went.
func (s *Store) PrunePlayRefusals(ctx context.Context, before time.Time) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM play_refusals WHERE at < $1`, before)
	if err != nil {
		return 0, fmt.Errorf("prune play refusals: %w", interpretError(err))
	}
	return tag.RowsAffected(), nil
}

// FindPlayRefusals lists refusals newest first, since f.Since (the last
// api.RefusalWindow when zero), with the subscriber's login and the
// streamer's name joined. It pages by id (keyset) and returns CodeInvalid
// for a bad cursor.
func (s *Store) FindPlayRefusals(ctx context.Context, f api.PlayRefusalFilter, p api.ListParams) (api.Page[api.PlayRefusal], error) {
	q := listQuery{selectFrom: `SELECT r.id, r.at, r.subscriber_id, coalesce(sub.login, ''), r.channel_id, r.name, r.streamer_id,
			coalesce(st.name, ''), r.streamer_host, r.ip, r.user_agent, r.proto, r.reason
		FROM play_refusals r
		LEFT JOIN subscribers sub ON sub.id = r.subscriber_id
		LEFT JOIN streamers st ON st.id = r.streamer_id`, idExpr: "r.id"}
	since := f.Since
	if since.IsZero() {
		since = time.Now().Add(-api.RefusalWindow)
	}
	q.filter(`r.at >= %s`, since)
	if f.SubscriberLogin != "" {
		q.filter(`lower(sub.login) = lower(%s)`, f.SubscriberLogin)
	}
	if f.Reason != "" {
		q.filter(`r.reason = %s`, f.Reason)
	}
	page, err := findNewestFirst(ctx, s.pool, q, p, scanPlayRefusal, func(r api.PlayRefusal) int64 { return r.ID })
	if err != nil {
		return page, fmt.Errorf("find play refusals: %w", err)
	}
	return page, nil
}

func scanPlayRefusal(row pgx.Row) (api.PlayRefusal, error) {
	var x api.PlayRefusal
	err := row.Scan(&x.ID, &x.At, &x.SubscriberID, &x.SubscriberLogin, &x.ChannelID, &x.Name, &x.StreamerID,
		&x.StreamerName, &x.StreamerHost, &x.IP, &x.UserAgent, &x.Proto, &x.Reason)
	return x, err
}
