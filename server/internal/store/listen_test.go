package store_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"canale/server/internal/store"
	"canale/server/internal/store/storetest"
	"canale/shared/api"
)

// listen follows s's changes until the test ends.
func listen(t *testing.T, s *store.Store) <-chan api.Change {
	ctx, cancel := context.WithCancel(context.Background())
	changes := make(chan api.Change, 16)
	done := make(chan error, 1)
	go func() { done <- s.ListenChanges(ctx, func(c api.Change) { changes <- c }) }()
	t.Cleanup(func() { cancel(); <-done })
	return changes
}

func TestListenChanges(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	changes := listen(t, s)

	next := func() api.Change {
		t.Helper()
		select {
		case c := <-changes:
			return c
		case <-time.After(10 * time.Second):
			t.Fatal("no change within 10s")
			return api.Change{}
		}
	}
	if got, want := next(), (api.Change{Entity: "*", Op: api.OpResync}); got != want {
		t.Fatalf("got first change %+v, want %+v", got, want)
	}
	a, _, err := s.UpsertAdmin(ctx, api.SystemActor("test"), "ops", api.RoleOperator, "hash")
	if err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(a.ID, 10)
	if got, want := next(), (api.Change{Entity: "admin", ID: id, Op: "create"}); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if _, _, err := s.UpsertAdmin(ctx, api.SystemActor("test"), "ops", api.RoleOperator, "hash2"); err != nil {
		t.Fatal(err)
	}
	if got, want := next(), (api.Change{Entity: "admin", ID: id, Op: "rekey"}); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

// TestSavePlacementsComparesAndAnnounces writes placements as two instances
// would: a write made from a stale read is refused and counted lost, the
// row keeps the first writer's streamer, and each write that applied is
// announced so every instance reloads.
func TestSavePlacementsComparesAndAnnounces(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	changes := listen(t, s)
	if err := s.Seed(ctx, store.Seed{
		Streamers: []store.SeedStreamer{{Name: "a", APIURL: "http://a.test"}, {Name: "b", APIURL: "http://b.test"}},
		Channels:  []store.SeedChannel{{Name: "ch1", Title: "One"}}}); err != nil {
		t.Fatal(err)
	}
	cat, err := s.LoadFleetCatalog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	for _, st := range cat.Streamers {
		ids[st.Name] = st.ID
	}
	ch := cat.Channels[0].ID
	for drained := false; !drained; {
		select {
		case <-changes: // the listener's first resync and the seed's reset
		case <-time.After(300 * time.Millisecond):
			drained = true
		}
	}
	save := func(from, to int64) int {
		t.Helper()
		lost, err := s.SavePlacements(ctx, []store.PlacementWrite{{ChannelID: ch, Position: 1, From: from, StreamerID: to}})
		if err != nil {
			t.Fatal(err)
		}
		return lost
	}
	placed := func() int64 {
		t.Helper()
		cat, err := s.LoadFleetCatalog(ctx)
		if err != nil || len(cat.Placements) != 1 {
			t.Fatalf("placements %v, %v", cat.Placements, err)
		}
		return cat.Placements[0].StreamerID
	}
	announced := func(want bool) {
		t.Helper()
		select {
		case c := <-changes:
			if !want || c != (api.Change{Entity: api.EntityPlacement, Op: "update"}) {
				t.Errorf("got change %+v, want placement update: %v", c, want)
			}
		case <-time.After(2 * time.Second):
			if want {
				t.Error("no placement change announced")
			}
		}
	}
	if lost := save(0, ids["a"]); lost != 0 || placed() != ids["a"] {
		t.Fatalf("first placement: lost %d, on %d", lost, placed())
	}
	announced(true)
	if lost := save(0, ids["b"]); lost != 1 || placed() != ids["a"] {
		t.Errorf("a second first placement: lost %d, on %d; want 1 and a", lost, placed())
	}
	announced(false)
	if lost := save(ids["a"], ids["b"]); lost != 0 || placed() != ids["b"] {
		t.Errorf("move a->b: lost %d, on %d", lost, placed())
	}
	announced(true)
	if lost := save(ids["a"], ids["a"]); lost != 1 || placed() != ids["b"] {
		t.Errorf("a stale move a->a: lost %d, on %d; want 1 and b", lost, placed())
	}
	announced(false)
}

// TestListenOnSeparateURL sends the LISTEN to a URL of its own (a direct
// or session-pooled connection beside a transaction-pooled PgBouncer): an
// unreachable one leaves the store working but deaf, the right one hears.
func TestListenOnSeparateURL(t *testing.T) {
	s, dsn := storetest.NewWithDSN(t)
	if err := s.ListenOn("postgres://nobody@127.0.0.1:1/canale?connect_timeout=1"); err != nil {
		t.Fatal(err)
	}
	deaf := listen(t, s)
	select {
	case c := <-deaf:
		t.Fatalf("got %+v through an unreachable listen URL", c)
	case <-time.After(time.Second):
	}
	if err := s.Ping(context.Background()); err != nil {
		t.Fatalf("the pool must not use the listen URL: %v", err)
	}

	s2 := storetest.Open(t, dsn)
	if err := s2.ListenOn(dsn); err != nil {
		t.Fatal(err)
	}
	select {
	case c := <-listen(t, s2):
		if c.Op != api.OpResync {
			t.Errorf("first change %+v, want a resync", c)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no LISTEN on the listen URL within 10s")
	}
	if err := s2.ListenOn("postgres://%zz"); err == nil {
		t.Error("a malformed listen URL was accepted")
	}
}

// TestPoolDropsConnectionsOfAGoneServer ends every session of the pool at
// once, as a failover does, and then uses the store right away (before
// pgxpool's own ping of connections idle over a second would catch them):
// one statement may fail, the next ones must get fresh connections instead
// of the dead ones one by one.
func TestPoolDropsConnectionsOfAGoneServer(t *testing.T) {
	s, dsn := storetest.NewWithDSN(t)
	pids := store.HoldConns(t, s, 4)
	for _, pid := range pids {
		storetest.Exec(t, dsn, `SELECT pg_terminate_backend($1)`, int(pid))
	}
	time.Sleep(100 * time.Millisecond) // the FATAL messages reach the sockets
	failed := 0
	for range 4 {
		if err := s.Ping(context.Background()); err != nil {
			failed++
		}
	}
	if failed > 1 {
		t.Errorf("%d of 4 statements after the sessions ended failed; want at most the first", failed)
	}
}
