package playauth_test

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"
)

// benchSubscribers is the seed size: CANALE_BENCH_SUBSCRIBERS, default 1,000,000.
func benchSubscribers(b *testing.B) int {
	if v := os.Getenv("CANALE_BENCH_SUBSCRIBERS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1000 {
			b.Fatalf("CANALE_BENCH_SUBSCRIBERS=%q: want a number >= 1000", v)
		}
		return n
	}
	return 1_000_000
}

// benchSeed makes n subscribers with two of 500 packages each, 10,000
// channels (20 per package), all in the database's own generate_series so
// the seed costs seconds, not a million round trips.
func benchSeed(n int) string {
	return fmt.Sprintf(`
INSERT INTO settings (id, streamer_secret, data) VALUES (1, 's3cret', '{"auth_duration_s": 30}')
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
ANALYZE;`, n)
}

// BenchmarkPlayAuth compares the authorization endpoint (Authorize: mixed
// allowed and refused, new and update sessions, decided from the read model
// over the seed) with a no-op handler of the same engine (Noop: /healthz).
// It also reports the read model's load time and heap with the seed.
func BenchmarkPlayAuth(b *testing.B) {
	n := benchSubscribers(b)
	in := startInstance(b, "")
	start := time.Now()
	in.exec(b, benchSeed(n))
	b.Logf("seeded %d subscribers in %v", n, time.Since(start))
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start = time.Now()
	in.reload(b)
	load := time.Since(start)
	runtime.GC()
	runtime.ReadMemStats(&after)
	heapMB := float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / (1 << 20)
	b.Logf("catalog: %d subscribers loaded in %v, heap %.0f MB", in.app.Catalog().SubscriberCount(), load, heapMB)
	reqs := benchRequests(n, 4096)
	h := in.app.Handler()

	b.Run("Authorize", func(b *testing.B) {
		b.ReportMetric(load.Seconds(), "load-s")
		b.ReportMetric(heapMB, "model-MB")
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			i := rand.IntN(len(reqs))
			for pb.Next() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, reqs[i%len(reqs)])
				if w.Code != http.StatusOK && w.Code != http.StatusForbidden {
					b.Errorf("status %d", w.Code)
				}
				i++
			}
		})
	})
	b.Run("Noop", func(b *testing.B) {
		b.ReportAllocs()
		req := httptest.NewRequest(http.MethodGet, "/healthz", nil)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				h.ServeHTTP(httptest.NewRecorder(), req)
			}
		})
	})
}

// benchRequests mixes what streamers send: mostly renewals of open
// sessions, some new ones, and refusals (unknown token, channel outside the
// packages). A request is reused, so after its first pass a new_session id
// is known and answered from memory, as a real renewal is.
func benchRequests(n, count int) []*http.Request {
	r := rand.New(rand.NewPCG(1, 2))
	out := make([]*http.Request, count)
	for i := range out {
		id := 1 + r.IntN(n)
		pkg := 1 + id%500
		ch := (pkg-1)*20 + 1 + r.IntN(20)
		token := md5hex(id)
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
			"request_type": {kind}, "session_id": {"bench-" + strconv.Itoa(i)}, "token": {token},
			"request_number": {"1"}, "stream_clients": {"10"}, "total_clients": {"100"}}
		out[i] = httptest.NewRequest(http.MethodGet, "/flussonic/"+secret+"/auth?"+q.Encode(), nil)
	}
	return out
}

// md5hex is the seed's token of subscriber i: md5(i) || md5(7i).
func md5hex(i int) string {
	a := md5.Sum([]byte(strconv.Itoa(i)))
	b := md5.Sum([]byte(strconv.Itoa(i * 7)))
	return hex.EncodeToString(a[:]) + hex.EncodeToString(b[:])
}
