package playauth_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"canale/server/internal/store/storetest"
)

// BenchmarkRestartFirstAnswer restarts one instance of a cluster over the
// seed (CANALE_BENCH_SUBSCRIBERS, default 1,000,000) and times, from the
// start of the new process's app, its first right answer to a play check of
// a seeded subscriber (first-answer-s), and when it first said anything at
// all (first-any-s, with that status as first-status): a load balancer
// sends it checks from its first listening moment, so an answer before the
// read model is loaded must not be a wrong one.
func BenchmarkRestartFirstAnswer(b *testing.B) {
	n := benchSubscribers(b)
	running := startInstance(b, "")
	running.exec(b, storetest.AuthSeedSQL(n, secret))
	req := benchRequests(n, 1)[0]
	path := req.URL.String()
	for b.Loop() {
		start := time.Now()
		in := startInstance(b, running.dsn)
		h := in.app.Handler()
		var firstAny time.Duration
		firstStatus := 0
		for {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
			if firstStatus == 0 {
				firstAny, firstStatus = time.Since(start), w.Code
			}
			if w.Code == http.StatusOK || w.Code == http.StatusForbidden {
				want := in.app.Catalog().SubscriberCount() == n
				b.ReportMetric(time.Since(start).Seconds(), "first-answer-s")
				b.ReportMetric(firstAny.Seconds(), "first-any-s")
				b.ReportMetric(float64(firstStatus), "first-status")
				if !want {
					b.Errorf("answered %d with %d of %d subscribers loaded", w.Code, in.app.Catalog().SubscriberCount(), n)
				}
				break
			}
			if time.Since(start) > 5*time.Minute {
				b.Fatalf("no answer within 5 minutes; last status %d", w.Code)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
}
