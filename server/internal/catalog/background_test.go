package catalog_test

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"canale/server/internal/catalog"
	"canale/server/internal/store"
	"canale/server/internal/store/storetest"
	"canale/shared/api"

	"github.com/google/go-cmp/cmp"
)

var admin = api.Actor{Kind: api.KindAdmin, ID: 1, Login: "admin"}

// busy is a catalog kept current the way a server keeps it (Run over the
// change events), its store, and its database.
type busy struct {
	cat *catalog.Catalog
	st  *store.Store
	dsn string
}

// setupBusy seeds n subscribers and runs a catalog over them until the
// test ends.
func setupBusy(t *testing.T, n int) busy {
	t.Helper()
	dsn := storetest.DSN(t)
	storetest.SeedSubscribers(t, dsn, n)
	st := storetest.Open(t, dsn)
	c := catalog.New(st, slog.New(slog.DiscardHandler), catalog.Options{ResyncInterval: time.Hour})
	if err := c.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); c.Run(ctx) }()
	go func() { defer wg.Done(); _ = st.ListenChanges(ctx, c.Notify) }()
	t.Cleanup(func() { cancel(); wg.Wait() })
	return busy{cat: c, st: st, dsn: dsn}
}

// answer is what a play check reads of a subscriber found by token.
type answer struct {
	Found       bool
	ID          int64
	Status      string
	ExpiresAt   time.Time
	MaxSessions int
	PackageIDs  []int64
	Version     int
}

func lookup(c *catalog.Catalog, token string) answer {
	var s catalog.Subscriber
	if !c.LookupToken(token, &s) {
		return answer{}
	}
	return answer{Found: true, ID: s.ID, Status: s.Status, ExpiresAt: s.ExpiresAt, MaxSessions: s.MaxSessions,
		PackageIDs: s.PackageIDs, Version: s.Version}
}

// quiet is a catalog loaded from the database with nothing else running:
// the answers every check must match.
func quiet(t *testing.T, st *store.Store) *catalog.Catalog {
	t.Helper()
	c := catalog.New(st, slog.New(slog.DiscardHandler), catalog.Options{BackgroundShare: 1})
	if err := c.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	return c
}

// checkWhile resets tokens and checks answers while job runs: after each
// reset (applied as a writer applies it, with a refresh on this instance)
// the new token must play and the old one must not, and every token of a
// subscriber neither a reset nor the job touches (touched) must answer as
// before the job. Once the job and the catalog are done, every subscriber
// must answer as a catalog loaded quietly from the same database does.
func checkWhile(t *testing.T, b busy, job func(context.Context) error, touched func(id int64) bool, settled func(*catalog.Catalog) bool) {
	t.Helper()
	ctx := context.Background()
	before := quiet(t, b.st)
	done := make(chan error, 1)
	go func() { done <- job(ctx) }()
	reset := map[int64]bool{}
	var tokens []string
	before.EachSubscriber(func(s *catalog.Subscriber) bool { tokens = append(tokens, s.Token); return true })
	slices.Sort(tokens)
	for i, running := 0, true; running || i < 50; i++ {
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("job: %v", err)
			}
			running = false
		default:
		}
		id := int64(i*37%len(tokens) + 1)
		old, _ := b.cat.SubscriberByID(id)
		s, err := b.st.ResetSubscriberToken(ctx, admin, id)
		if err != nil {
			t.Fatalf("reset subscriber %d: %v", id, err)
		}
		if err := b.cat.RefreshSubscriber(ctx, id); err != nil {
			t.Fatalf("refresh subscriber %d: %v", id, err)
		}
		reset[id] = true
		if got := lookup(b.cat, s.Token); !got.Found || got.ID != id {
			cur, ok := b.cat.SubscriberByID(id)
			t.Fatalf("check %d: the new token of subscriber %d: got %+v, want it found (by id: %v %q v%d; new %q v%d; old %q v%d)", i, id, got, ok, cur.Token, cur.Version, s.Token, s.Version, old.Token, old.Version)
		}
		if got := lookup(b.cat, old.Token); old.Token != s.Token && got.Found {
			t.Fatalf("check %d: the old token of subscriber %d: got %+v, want it refused", i, id, got)
		}
		tok := tokens[i*7919%len(tokens)]
		want := lookup(before, tok)
		if got := lookup(b.cat, tok); !reset[want.ID] && !touched(want.ID) && !cmp.Equal(got, want) {
			t.Fatalf("check %d: token %s during the job: %s", i, tok, cmp.Diff(want, got))
		}
	}
	waitFor(t, b.cat, "the catalog settles after the job", func() bool { return settled(b.cat) })
	sameAsQuiet(t, b.cat, quiet(t, b.st))
}

// sameAsQuiet compares every subscriber's answer in c with q's.
func sameAsQuiet(t *testing.T, c, q *catalog.Catalog) {
	t.Helper()
	if got, want := c.SubscriberCount(), q.SubscriberCount(); got != want {
		t.Errorf("subscribers: got %d, want %d", got, want)
	}
	var diffs []string
	q.EachSubscriber(func(s *catalog.Subscriber) bool {
		if d := cmp.Diff(lookup(q, s.Token), lookup(c, s.Token)); d != "" {
			diffs = append(diffs, fmt.Sprintf("subscriber %d: %s", s.ID, d))
		}
		return len(diffs) < 5
	})
	if len(diffs) > 0 {
		t.Errorf("answers differ from a quiet load's:\n%s", diffs)
	}
}

func always(*catalog.Catalog) bool { return true }

func none(int64) bool { return false }

// thrice runs job three times, so the checks overlap it.
func thrice(job func(context.Context) error) func(context.Context) error {
	return func(ctx context.Context) error {
		for range 3 {
			if err := job(ctx); err != nil {
				return err
			}
		}
		return nil
	}
}

// TestBackgroundJobsGiveQuietAnswers runs each background job of the model
// while tokens are reset and checked: the answers must be exactly those of
// a server doing nothing else (issue 21; timing is `make bench`'s).
func TestBackgroundJobsGiveQuietAnswers(t *testing.T) {
	const n = 10_000
	t.Run("Rebuild", func(t *testing.T) {
		b := setupBusy(t, n)
		checkWhile(t, b, thrice(b.cat.Load), none, always)
	})
	t.Run("Reconcile", func(t *testing.T) {
		b := setupBusy(t, n)
		// Edits without notification give the reconcile something to read.
		storetest.Exec(t, b.dsn, `UPDATE subscribers SET token = 'hand-' || id WHERE id % 500 = 0`)
		job := func(ctx context.Context) error { _, err := b.cat.Reconcile(ctx); return err }
		checkWhile(t, b, thrice(job), func(id int64) bool { return id%500 == 0 }, always)
	})
	t.Run("Import", func(t *testing.T) {
		b := setupBusy(t, n)
		rows := make([]store.ImportRow, 20_000) // ten chunks of the import's statements
		for i := range rows {
			rows[i] = store.ImportRow{Line: i + 1, Login: fmt.Sprintf("imported%05d", i), PasswordHash: "x", Status: "active"}
		}
		job := func(ctx context.Context) error {
			_, err := b.st.ImportSubscribers(ctx, admin, rows, store.ImportOptions{Strict: true})
			return err
		}
		checkWhile(t, b, job, none, func(c *catalog.Catalog) bool { return c.SubscriberCount() == n+len(rows) })
	})
	t.Run("Billing", func(t *testing.T) {
		b := setupBusy(t, n)
		const batch = n / 5
		extended := make([]api.Subscriber, batch+1) // by id
		job := func(ctx context.Context) error {
			return extendBatch(ctx, b, batch, func(s api.Subscriber) { extended[s.ID] = s })
		}
		checkWhile(t, b, job, func(id int64) bool { return id <= batch }, always)
		// The batch must have changed what the checks answer, or the
		// comparison above proved nothing about it.
		for id := int64(1); id <= batch; id++ {
			s, ok := b.cat.SubscriberByID(id)
			if want := extended[id].ExpiresAt; !ok || want == nil && !s.ExpiresAt.IsZero() || want != nil && !s.ExpiresAt.Equal(*want) {
				t.Fatalf("subscriber %d expires at %v in the model (found %v), want %v as extended", id, s.ExpiresAt, ok, want)
			}
		}
	})
}

// extendBatch extends subscribers 1 to batch by 30 days, 4 at a time, as a
// billing system's nightly batch does through the admin API: each
// extension is applied to the model before the next is asked for, as the
// API's writes are (app's freshSubscribers).
func extendBatch(ctx context.Context, b busy, batch int, done func(api.Subscriber)) error {
	ids := make(chan int64)
	errs := make(chan error, 4)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for id := range ids {
				s, err := b.st.ExtendSubscriber(ctx, admin, id, api.ExtendRequest{Days: 30})
				if err == nil {
					err = b.cat.RefreshSubscriber(ctx, id)
				}
				if err != nil {
					errs <- fmt.Errorf("extend subscriber %d: %w", id, err)
					return
				}
				mu.Lock()
				done(s)
				mu.Unlock()
			}
		})
	}
	var err error
feed:
	for id := int64(1); id <= int64(batch); id++ {
		select {
		case ids <- id:
		case err = <-errs:
			break feed
		}
	}
	close(ids)
	wg.Wait()
	close(errs)
	for e := range errs {
		if err == nil {
			err = e
		}
	}
	return err
}
