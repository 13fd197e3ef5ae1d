package playauth_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"testing"
	"time"

	"canale/server/internal/pgsql"
	"canale/server/internal/store"
	"canale/server/internal/store/storetest"
	"canale/shared/api"
)

// privateCluster starts a PostgreSQL cluster of the test's own, so the test
// can stop and restart it without touching the others.
func privateCluster(t *testing.T) (*pgsql.Cluster, string) {
	t.Helper()
	storetest.DSN(t) // skips or fails like every database test when PostgreSQL is missing
	dir, err := os.MkdirTemp("", "cpgd")
	if err != nil {
		t.Fatal(err)
	}
	cl := &pgsql.Cluster{Dir: dir, Throwaway: true}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if _, err := cl.Start(ctx); err != nil {
		t.Fatalf("start cluster: %v", err)
	}
	t.Cleanup(func() { cl.Stop(); os.RemoveAll(dir) })
	storetest.Exec(t, cl.DSN("postgres"), `CREATE DATABASE canale`)
	s, err := store.Open(ctx, cl.DSN("canale"), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return cl, cl.DSN("canale")
}

func TestDatabaseOutage(t *testing.T) {
	cl, dsn := privateCluster(t)
	in := startInstance(t, dsn)
	in.exec(t, seed)
	in.reload(t)
	lim := url.Values{"token": {"tok-limited"}, "session_id": {"out-1"}}
	if resp := play(t, in.url, lim); resp.StatusCode != http.StatusOK {
		t.Fatalf("before the outage: status %d, want 200", resp.StatusCode)
	}

	cl.Stop()
	tests := []struct {
		name   string
		q      url.Values
		reason string
	}{
		{"UpdateOfKnownSession", url.Values{"token": {"tok-limited"}, "session_id": {"out-1"}, "request_type": {"update_session"}}, ""},
		{"NewSessionPastLimitFromLocalCount", url.Values{"token": {"tok-limited"}, "session_id": {"out-2"}}, "too_many_sessions"},
		{"UnlimitedSubscriber", url.Values{"token": {"tok-good"}, "session_id": {"out-good"}}, ""},
		{"UnknownToken", url.Values{"token": {"nope"}, "session_id": {"out-3"}}, "unknown_token"},
		{"NotInPackage", url.Values{"name": {"ch2"}, "session_id": {"out-4"}}, "not_in_package"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := play(t, in.url, tt.q)
			want := http.StatusOK
			if tt.reason != "" {
				want = http.StatusForbidden
			}
			if resp.StatusCode != want {
				t.Fatalf("during the outage: status %d, want %d %s", resp.StatusCode, want, tt.reason)
			}
			if tt.reason != "" && reasonOf(t, resp) != tt.reason {
				t.Errorf("reason, want %s", tt.reason)
			}
		})
	}

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if _, err := cl.Start(ctx); err != nil {
		t.Fatalf("restart cluster: %v", err)
	}
	for {
		page, err := in.store.FindPlaySessions(ctx, api.PlaySessionFilter{SubscriberID: 1}, api.ListParams{})
		if err == nil && len(page.Items) == 1 && page.Items[0].SessionID == "out-good" {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("session opened during the outage was not recorded after it: %+v, %v", page.Items, err)
		case <-time.After(200 * time.Millisecond):
		}
	}
}
