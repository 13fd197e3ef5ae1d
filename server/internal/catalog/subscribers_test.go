package catalog

import (
	"fmt"
	"net/netip"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func sampleSubscriber(id int64) *Subscriber {
	return &Subscriber{ID: id, ResellerID: id % 3, Login: "User" + strconv.FormatInt(id, 10), PasswordHash: "$argon2id$h" + strconv.FormatInt(id, 10),
		Token: fmt.Sprintf("tok-%032d", id), Status: StatusActive, MaxSessions: int(id % 4),
		ExpiresAt: time.Unix(1_900_000_000+id, 0), PackageIDs: []int64{1 + id%5, 10},
		Name: "Name " + strconv.FormatInt(id, 10), Balance: "12.50", PaymentInfo: "IBAN", Trial: id%2 == 0,
		Version: int(id), CreatedAt: time.Unix(1_700_000_000, id)}
}

// equalSubscriber compares what matters: times by instant (the index keeps
// no location), everything else exactly.
func equalSubscriber(t *testing.T, got, want *Subscriber) {
	t.Helper()
	g, w := *got, *want
	if !g.ExpiresAt.Equal(w.ExpiresAt) || !g.CreatedAt.Equal(w.CreatedAt) {
		t.Fatalf("times: got %v/%v, want %v/%v", g.ExpiresAt, g.CreatedAt, w.ExpiresAt, w.CreatedAt)
	}
	g.ExpiresAt, w.ExpiresAt, g.CreatedAt, w.CreatedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	if !reflect.DeepEqual(g, w) {
		t.Fatalf("got  %+v\nwant %+v", g, w)
	}
}

func TestIndexRoundTrip(t *testing.T) {
	x := newSubscriberIndex(0)
	// Enough to cross record pages and text chunks.
	const n = 3*pageSize + 17
	for id := int64(1); id <= n; id++ {
		x.put(sampleSubscriber(id))
	}
	rules := sampleSubscriber(n + 1)
	rules.AllowedIPs = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	rules.AllowedUserAgents = []string{"kodi"}
	rules.ExpiresAt = time.Time{}
	rules.PackageIDs = nil
	rules.Status = StatusBanned
	x.put(rules)
	if got := x.count(); got != n+1 {
		t.Fatalf("count: got %d, want %d", got, n+1)
	}
	for _, id := range []int64{1, pageSize, pageSize + 1, n, n + 1} {
		want := sampleSubscriber(id)
		if id == n+1 {
			want = rules
		}
		for name, lookup := range map[string]func() (*Subscriber, bool){
			"id":    func() (*Subscriber, bool) { return x.byID(id) },
			"token": func() (*Subscriber, bool) { return x.byToken(want.Token) },
			"login": func() (*Subscriber, bool) { return x.byLogin(strings.ToUpper(want.Login)) },
		} {
			got, ok := lookup()
			if !ok {
				t.Fatalf("subscriber %d by %s: not found", id, name)
			}
			equalSubscriber(t, got, want)
		}
	}
	if _, ok := x.byToken("tok-missing"); ok {
		t.Error("an unknown token was found")
	}
}

func TestIndexReplaceAndRemove(t *testing.T) {
	x := newSubscriberIndex(0)
	x.put(sampleSubscriber(1))
	x.put(sampleSubscriber(2))
	next := sampleSubscriber(1)
	next.Token, next.Login = "tok-new", "renamed"
	x.put(next)
	if _, ok := x.byToken(sampleSubscriber(1).Token); ok {
		t.Error("the old token still finds the subscriber after a reset")
	}
	if _, ok := x.byLogin("user1"); ok {
		t.Error("the old login still finds the subscriber after a rename")
	}
	if got, ok := x.byToken("tok-new"); !ok || got.Login != "renamed" {
		t.Errorf("new token: got %+v, %v", got, ok)
	}
	// Subscriber 2 takes over the login subscriber 1 gave up, then 1 is
	// deleted: 2 keeps it.
	moved := sampleSubscriber(2)
	moved.Login = "User1"
	x.put(moved)
	x.remove(1)
	if got, ok := x.byLogin("user1"); !ok || got.ID != 2 {
		t.Errorf("login user1 after the move: got %+v, %v", got, ok)
	}
	if _, ok := x.byID(1); ok {
		t.Error("a removed subscriber is still found by id")
	}
	if _, ok := x.byToken("tok-new"); ok {
		t.Error("a removed subscriber is still found by token")
	}
	if x.count() != 1 {
		t.Errorf("count: got %d, want 1", x.count())
	}
}

// TestIndexHashCollisions runs with every key hashing alike, so every key
// but the first of a kind goes through the overflow map.
func TestIndexHashCollisions(t *testing.T) {
	x := newSubscriberIndex(0)
	x.hash = func(string) uint64 { return 42 }
	for id := int64(1); id <= 50; id++ {
		x.put(sampleSubscriber(id))
	}
	x.remove(1) // the holder of the main slot
	reset := sampleSubscriber(7)
	reset.Token = "tok-seven"
	x.put(reset)
	for id := int64(2); id <= 50; id++ {
		want := sampleSubscriber(id)
		if id == 7 {
			want = reset
		}
		got, ok := x.byToken(want.Token)
		if !ok || got.ID != id {
			t.Fatalf("token of %d: got %+v, %v", id, got, ok)
		}
		if got, ok := x.byLogin(want.Login); !ok || got.ID != id {
			t.Fatalf("login of %d: got %+v, %v", id, got, ok)
		}
	}
	for _, gone := range []string{sampleSubscriber(1).Token, sampleSubscriber(7).Token} {
		if got, ok := x.byToken(gone); ok {
			t.Errorf("token %s: still finds %d", gone, got.ID)
		}
	}
}

// TestIndexConcurrentReaders has readers look subscribers up while a writer
// replaces them; run with -race it checks the publication order.
func TestIndexConcurrentReaders(t *testing.T) {
	x := newSubscriberIndex(0)
	for id := int64(1); id <= 1000; id++ {
		x.put(sampleSubscriber(id))
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for r := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int64(0); ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				id := 1 + (i*7+int64(r))%1000
				if s, ok := x.byID(id); !ok || s.ID != id || !strings.HasPrefix(s.Token, "tok-") {
					t.Errorf("subscriber %d: got %+v, %v", id, s, ok)
					return
				}
			}
		}()
	}
	for round := range 5 {
		for id := int64(1); id <= 1000; id++ {
			s := sampleSubscriber(id)
			s.Token = fmt.Sprintf("tok-%d-%d", round, id)
			x.put(s)
		}
	}
	close(stop)
	wg.Wait()
}

// TestPutKeepsAKeptTokenFound re-publishes a subscriber whose token stays
// (as a package or expiry change does) while another goroutine looks the
// token up, as play checks do: no lookup may miss. Setting the new key
// after dropping the old one left such a moment.
func TestPutKeepsAKeptTokenFound(t *testing.T) {
	x := newSubscriberIndex(0)
	s := sampleSubscriber(7)
	x.put(s)
	stop := make(chan struct{})
	done := make(chan int)
	go func() {
		misses := 0
		var got Subscriber
		for {
			select {
			case <-stop:
				done <- misses
				return
			default:
			}
			if !x.fillByToken(s.Token, &got) {
				misses++
			}
		}
	}()
	for v := range 20000 {
		s.Version = v + 2
		x.put(s)
	}
	close(stop)
	if misses := <-done; misses > 0 {
		t.Errorf("the kept token was not found %d times while its subscriber was re-published", misses)
	}
}
