package store_test

import (
	"slices"
	"testing"

	"canale/server/internal/store"
	"canale/server/internal/store/storetest"
	"canale/server/internal/subscriberview/viewtest"
	"canale/shared/api"
)

// TestFavouriteChannelsEntitlement is the attack of a forged portal form:
// a subscriber cannot favourite a channel outside their packages (nor a
// disabled or unknown one), and one subscriber's list is not another's.
func TestFavouriteChannelsEntitlement(t *testing.T) {
	t.Parallel()
	s, dsn := storetest.NewWithDSN(t)
	viewtest.Seed(t, dsn)
	ctx := t.Context()
	const alice, bob = 1, 2

	for _, ch := range []int64{1, 4} { // ch1 from her package, ch4 free
		if err := s.SetFavouriteChannel(ctx, alice, ch, true); err != nil {
			t.Fatalf("alice favourites channel %d: %v", ch, err)
		}
	}
	if err := s.SetFavouriteChannel(ctx, alice, 1, true); err != nil {
		t.Errorf("favourite twice: %v, want no error", err)
	}
	for name, ch := range map[string]int64{"disabled ch3": 3, "unknown 999": 999} {
		if err := s.SetFavouriteChannel(ctx, alice, ch, true); api.ErrorCode(err) != api.CodeNotFound {
			t.Errorf("alice favourites %s: %v, want not_found", name, err)
		}
	}
	if err := s.SetFavouriteChannel(ctx, bob, 1, true); api.ErrorCode(err) != api.CodeNotFound {
		t.Errorf("bob favourites alice's ch1: %v, want not_found", err)
	}
	if err := s.RecordWatched(ctx, bob, 2); api.ErrorCode(err) != api.CodeNotFound {
		t.Errorf("bob records alice's ch2 as watched: %v, want not_found", err)
	}

	got, err := s.FavouriteChannels(ctx, alice)
	if err != nil || len(got) != 2 || !slices.Contains(got, 1) || !slices.Contains(got, 4) {
		t.Errorf("alice's favourites: %v, %v; want [4 1]", got, err)
	}
	if got, err := s.FavouriteChannels(ctx, bob); err != nil || len(got) != 0 {
		t.Errorf("bob's favourites: %v, %v; want none (alice's are hers)", got, err)
	}
	if err := s.SetFavouriteChannel(ctx, bob, 4, true); err != nil {
		t.Fatalf("bob favourites free ch4: %v", err)
	}
	if err := s.SetFavouriteChannel(ctx, alice, 4, false); err != nil {
		t.Fatalf("alice removes ch4: %v", err)
	}
	if got, _ := s.FavouriteChannels(ctx, alice); !slices.Equal(got, []int64{1}) {
		t.Errorf("alice's favourites after removing ch4: %v, want [1]", got)
	}
	if got, _ := s.FavouriteChannels(ctx, bob); !slices.Equal(got, []int64{4}) {
		t.Errorf("bob's favourites after alice removed ch4: %v, want [4]", got)
	}
}

// TestRecentChannelsBounded: recently watched keeps the latest
// RecentChannelsKept channels per subscriber, the latest first, a channel
// watched again moves to the front, and another subscriber's zapping
// neither trims nor shows in the list.
func TestRecentChannelsBounded(t *testing.T) {
	t.Parallel()
	s, dsn := storetest.NewWithDSN(t)
	viewtest.Seed(t, dsn)
	storetest.Exec(t, dsn, `INSERT INTO channels (id, name, title, number, free, enabled)
		SELECT 100 + i, 'free' || i, 'Free ' || i, 100 + i, true, true FROM generate_series(1, 30) i`)
	ctx := t.Context()
	const alice, bob = 1, 2

	n := store.RecentChannelsKept + 5
	for i := 1; i <= n; i++ {
		if err := s.RecordWatched(ctx, alice, int64(100+i)); err != nil {
			t.Fatalf("record channel %d: %v", 100+i, err)
		}
	}
	if err := s.RecordWatched(ctx, bob, 101); err != nil {
		t.Fatalf("bob records ch101: %v", err)
	}
	if err := s.RecordWatched(ctx, alice, 110); err != nil { // watched again
		t.Fatal(err)
	}
	got, err := s.RecentChannels(ctx, alice)
	if err != nil {
		t.Fatal(err)
	}
	want := []int64{110}
	for i := n; len(want) < store.RecentChannelsKept; i-- {
		if i != 10 {
			want = append(want, int64(100+i))
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("alice's recent channels:\n got %v\nwant %v", got, want)
	}
	var rows int
	storetest.QueryRow(t, dsn, `SELECT count(*) FROM subscriber_recent_channels WHERE subscriber_id = $1`, []any{alice}, &rows)
	if rows != store.RecentChannelsKept {
		t.Errorf("alice's stored rows: %d, want %d", rows, store.RecentChannelsKept)
	}
	if got, _ := s.RecentChannels(ctx, bob); !slices.Equal(got, []int64{101}) {
		t.Errorf("bob's recent channels: %v, want [101]", got)
	}
}
