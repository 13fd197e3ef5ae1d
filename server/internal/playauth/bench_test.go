package playauth_test

import (
	"canale/server/internal/store/storetest"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
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

// BenchmarkPlayAuth compares the authorization endpoint (Authorize: mixed
// allowed and refused, new and update sessions, decided from the read model
// over the seed) with a no-op handler of the same engine (Noop: /healthz).
// It also reports the read model's load time and heap with the seed.
func BenchmarkPlayAuth(b *testing.B) {
	n := benchSubscribers(b)
	in := startInstance(b, "")
	start := time.Now()
	in.exec(b, storetest.AuthSeedSQL(n, secret))
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

// benchRequests is storetest.AuthPaths as requests. A request is reused,
// so after its first pass a new_session id is known and answered from
// memory, as a real renewal is.
func benchRequests(n, count int) []*http.Request {
	paths := storetest.AuthPaths(n, count, secret, "bench-")
	out := make([]*http.Request, len(paths))
	for i, p := range paths {
		out[i] = httptest.NewRequest(http.MethodGet, p, nil)
	}
	return out
}
