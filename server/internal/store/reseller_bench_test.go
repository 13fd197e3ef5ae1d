package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"canale/server/internal/store"
	"canale/server/internal/store/storetest"
	"canale/shared/api"
)

var (
	resellerBenchOnce  sync.Once
	resellerBenchStore *store.Store
	resellerBenchID    int64
)

// resellerLinesStore returns a store where one reseller has 50,000 lines
// among 60,000 subscribers: the size issue 18 says the panel's list must
// page in under 50 ms.
func resellerLinesStore(b *testing.B) (*store.Store, int64) {
	resellerBenchOnce.Do(func() {
		dsn := storetest.KeptDSN(b)
		start := time.Now()
		storetest.SeedSubscribers(b, dsn, 60000)
		storetest.QueryRow(b, dsn, `INSERT INTO resellers (login, password_hash) VALUES ('bench-dealer', 'h') RETURNING id`,
			nil, &resellerBenchID)
		storetest.Exec(b, dsn, `UPDATE subscribers SET reseller_id = $1 WHERE id % 6 <> 0`, resellerBenchID)
		storetest.Exec(b, dsn, `ANALYZE subscribers`)
		b.Logf("seeded a reseller with 50,000 lines in %v", time.Since(start))
		s, err := store.Open(context.Background(), dsn, discardLogger())
		if err != nil {
			b.Fatal(err)
		}
		resellerBenchStore = s
	})
	if resellerBenchStore == nil {
		b.Fatal("reseller benchmark seed failed")
	}
	return resellerBenchStore, resellerBenchID
}

// BenchmarkResellerLinesPage is the reseller panel's line list: the first
// page, a page 90% of the way in (through the cursor before it) and a login
// search, all within one reseller's 50,000 lines. make bench prints each as
// a ratio to BenchmarkSubscriberByID, the primary-key lookup.
func BenchmarkResellerLinesPage(b *testing.B) {
	s, id := resellerLinesStore(b)
	ctx := context.Background()
	f := api.SubscriberFilter{ResellerID: id}
	deep, err := s.FindSubscribers(ctx, f, api.ListParams{Limit: 45000})
	if err != nil || deep.Next == "" {
		b.Fatalf("reach deep cursor: %v", err)
	}
	for _, c := range []struct {
		name string
		p    api.ListParams
	}{
		{"first", api.ListParams{}},
		{"deep", api.ListParams{Cursor: deep.Next}},
		{"search", api.ListParams{Query: "user0004"}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				page, err := s.FindSubscribers(ctx, f, c.p)
				if err != nil || len(page.Items) == 0 {
					b.Fatalf("got %d lines, %v", len(page.Items), err)
				}
			}
		})
	}
}
