package storetest

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strconv"
)

// AuthSeedSQL is the play-authorization benchmark seed the issues name: n
// subscribers with two of 500 packages each and 10,000 channels (20 per
// package), made by the database's own generate_series so it costs seconds,
// not a million round trips. Sequences move past the explicit ids so later
// inserts through the store still work. The streamer secret is secret.
func AuthSeedSQL(n int, secret string) string {
	return fmt.Sprintf(`
INSERT INTO settings (id, streamer_secret, data) VALUES (1, '%[2]s', '{"auth_duration_s": 30}')
  ON CONFLICT (id) DO UPDATE SET streamer_secret = EXCLUDED.streamer_secret, data = EXCLUDED.data;
INSERT INTO channels (id, name, title) SELECT i, 'ch' || i, 'Channel ' || i FROM generate_series(1, 10000) i;
INSERT INTO packages (id, name) SELECT i, 'pkg' || i FROM generate_series(1, 500) i;
INSERT INTO package_channels (package_id, channel_id) SELECT 1 + (i - 1) / 20, i FROM generate_series(1, 10000) i;
INSERT INTO subscribers (id, login, password_hash, token, expires_at, max_sessions)
  SELECT i, 'user' || i, '$2a$10$abcdefghijklmnopqrstuuJ0123456789abcdefghijklmnopqrstu', md5(i::text) || md5((i * 7)::text),
         now() + interval '30 days', 0
  FROM generate_series(1, %[1]d) i;
INSERT INTO subscriber_packages (subscriber_id, package_id)
  SELECT i, 1 + i %% 500 FROM generate_series(1, %[1]d) i
  UNION ALL SELECT i, 1 + (i + 250) %% 500 FROM generate_series(1, %[1]d) i;
SELECT setval('channels_id_seq', 10000), setval('packages_id_seq', 500), setval('subscribers_id_seq', %[1]d);
ANALYZE;`, n, secret)
}

// AuthSeedToken is the seed's token of subscriber i: md5(i) || md5(7i).
func AuthSeedToken(i int) string {
	a := md5.Sum([]byte(strconv.Itoa(i)))
	b := md5.Sum([]byte(strconv.Itoa(i * 7)))
	return hex.EncodeToString(a[:]) + hex.EncodeToString(b[:])
}

// AuthPaths mixes what streamers send to the Flussonic auth endpoint over
// AuthSeedSQL's seed of n subscribers: mostly renewals of open sessions,
// some new ones, and refusals (unknown token, channel outside the
// packages). Session ids (sessionPrefix + position) repeat when the list is
// replayed, so after its first pass a new_session id is known, as a real
// renewal is. The mix is the same for the same arguments.
func AuthPaths(n, count int, secret, sessionPrefix string) []string {
	r := rand.New(rand.NewPCG(1, 2))
	out := make([]string, count)
	for i := range out {
		id := 1 + r.IntN(n)
		pkg := 1 + id%500
		ch := (pkg-1)*20 + 1 + r.IntN(20)
		token := AuthSeedToken(id)
		kind := "update_session"
		switch k := r.IntN(10); {
		case k == 0:
			token = "unknown-" + strconv.Itoa(i)
		case k == 1:
			ch = 1 + ((pkg+100)%500)*20 // a package the subscriber does not hold
		case k < 4:
			kind = "new_session"
		}
		q := url.Values{"name": {"ch" + strconv.Itoa(ch)}, "proto": {"hls"}, "ip": {"10.0.0.1"},
			"request_type": {kind}, "session_id": {sessionPrefix + strconv.Itoa(i)}, "token": {token},
			"request_number": {"1"}, "stream_clients": {"10"}, "total_clients": {"100"}}
		out[i] = "/flussonic/" + secret + "/auth?" + q.Encode()
	}
	return out
}
