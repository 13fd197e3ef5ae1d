package store_test

import (
	"context"
	"log/slog"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"canale/server/internal/store"
	"canale/server/internal/store/storetest"
	"canale/shared/api"
)

var (
	benchOnce  sync.Once
	benchStore *store.Store
	benchN     int
)

// benchSubscribers returns a store seeded once per test binary with
// CANALE_BENCH_SUBSCRIBERS subscribers (default 1,000,000).
func benchSubscribers(b *testing.B) *store.Store {
	benchOnce.Do(func() {
		benchN = 1000000
		if v, err := strconv.Atoi(os.Getenv("CANALE_BENCH_SUBSCRIBERS")); err == nil && v > 0 {
			benchN = v
		}
		dsn := storetest.KeptDSN(b)
		start := time.Now()
		storetest.SeedSubscribers(b, dsn, benchN)
		b.Logf("seeded %d subscribers in %v", benchN, time.Since(start))
		s, err := store.Open(context.Background(), dsn, discardLogger())
		if err != nil {
			b.Fatal(err)
		}
		benchStore = s
	})
	if benchStore == nil {
		b.Fatal("benchmark seed failed")
	}
	return benchStore
}

func BenchmarkSubscriberByID(b *testing.B) {
	s := benchSubscribers(b)
	ctx := context.Background()
	for i := 0; b.Loop(); i++ {
		if _, err := s.FindSubscriberByID(ctx, int64(i%benchN)+1); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSubscriberListPage reads a page 90% of the way into the list,
// through the cursor of the page before it.
func BenchmarkSubscriberListPage(b *testing.B) {
	s := benchSubscribers(b)
	ctx := context.Background()
	for _, sort := range []string{"id", "login", "name", "expires_at"} {
		b.Run(sort, func(b *testing.B) {
			first, err := s.FindSubscribers(ctx, api.SubscriberFilter{}, api.ListParams{Sort: sort, Limit: benchN * 9 / 10})
			if err != nil || first.Next == "" {
				b.Fatalf("reach deep cursor: %v", err)
			}
			for b.Loop() {
				page, err := s.FindSubscribers(ctx, api.SubscriberFilter{}, api.ListParams{Sort: sort, Cursor: first.Next})
				if err != nil || len(page.Items) != api.DefaultLimit {
					b.Fatalf("got %d items, %v", len(page.Items), err)
				}
			}
		})
	}
}

func BenchmarkSubscriberSearchLogin(b *testing.B) {
	benchSearch(b, "user00123")
}

func BenchmarkSubscriberSearchName(b *testing.B) {
	benchSearch(b, "giulia smith12")
}

func benchSearch(b *testing.B, q string) {
	s := benchSubscribers(b)
	ctx := context.Background()
	for b.Loop() {
		page, err := s.FindSubscribers(ctx, api.SubscriberFilter{}, api.ListParams{Query: q})
		if err != nil || len(page.Items) == 0 {
			b.Fatalf("search %q: got %d items, %v", q, len(page.Items), err)
		}
	}
}

func BenchmarkSubscriberFilterStatus(b *testing.B) {
	s := benchSubscribers(b)
	ctx := context.Background()
	for b.Loop() {
		page, err := s.FindSubscribers(ctx, api.SubscriberFilter{Status: api.StatusBanned}, api.ListParams{})
		if err != nil || len(page.Items) == 0 {
			b.Fatalf("got %d items, %v", len(page.Items), err)
		}
	}
}

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
