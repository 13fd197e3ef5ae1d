//go:build loadtest

package loadtest

import (
	"context"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"
)

// openLoopResult is what a fixed-rate run measured.
type openLoopResult struct {
	Sent, Failed int
	P50, P99     time.Duration
	Achieved     float64 // requests/s actually completed
}

// openLoop sends GETs of paths (in turn) at rate per second for d, with up
// to workers requests in flight. Each latency runs from when the request
// was due, not from when a worker got to it, so queueing counts.
func openLoop(ctx context.Context, base string, paths []string, rate float64, d time.Duration, workers int) openLoopResult {
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
		MaxIdleConnsPerHost: workers, MaxConnsPerHost: workers, DisableCompression: true}}
	defer client.CloseIdleConnections()
	type job struct {
		due  time.Time
		path string
	}
	jobs := make(chan job, workers*4)
	var mu sync.Mutex
	var lat []time.Duration
	failed := 0
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				ok := get(ctx, client, base+j.path)
				l := time.Since(j.due)
				mu.Lock()
				lat = append(lat, l)
				if !ok {
					failed++
				}
				mu.Unlock()
			}
		}()
	}
	start := time.Now()
	interval := time.Duration(float64(time.Second) / rate)
	sent := 0
	for due := start; due.Sub(start) < d && ctx.Err() == nil; due = due.Add(interval) {
		if wait := time.Until(due); wait > 0 {
			time.Sleep(wait)
		}
		jobs <- job{due: due, path: paths[sent%len(paths)]}
		sent++
	}
	close(jobs)
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(lat)
	r := openLoopResult{Sent: sent, Failed: failed, Achieved: float64(len(lat)) / elapsed.Seconds()}
	if len(lat) > 0 {
		r.P50 = lat[len(lat)/2]
		r.P99 = lat[len(lat)*99/100]
	}
	return r
}

// get reports whether a GET got an answer of the play-auth protocol
// (200 allowed, 403 refused) or a redirect.
func get(ctx context.Context, c *http.Client, url string) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return false
	}
	resp, err := c.Do(req)
	if err != nil {
		return false
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK || resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusFound
}
