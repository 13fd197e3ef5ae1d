package subscriberview_test

import (
	"context"
	"testing"
	"time"

	"canale/server/internal/store"
	"canale/server/internal/store/storetest"
	"canale/server/internal/subscriberview"
	"canale/server/internal/subscriberview/viewtest"
	"canale/shared/api"
)

func TestMain(m *testing.M) { storetest.Main(m) }

func newDirectory(t *testing.T) (*subscriberview.CatalogDirectory, *store.Store) {
	t.Helper()
	s, dsn := storetest.NewWithDSN(t)
	viewtest.Seed(t, dsn)
	d, _ := viewtest.Directory(t, s)
	return d, s
}

func TestDirectoryLineup(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, _ := newDirectory(t)
	tests := []struct {
		login        string
		wantChannels []string
		wantVOD      int
		wantLiveCats []string
	}{
		{"alice", []string{"ch1", "ch2", "ch4"}, 1, []string{"News", "Sport"}},
		{"BOB", []string{"ch4"}, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.login, func(t *testing.T) {
			sub, err := d.SubscriberByLogin(ctx, tt.login)
			if err != nil {
				t.Fatal(err)
			}
			l, err := d.Lineup(ctx, sub)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range l.Channels {
				got = append(got, c.Name)
			}
			if !equal(got, tt.wantChannels) {
				t.Errorf("channels = %v, want %v", got, tt.wantChannels)
			}
			if len(l.VOD) != tt.wantVOD {
				t.Errorf("vod = %d items, want %d", len(l.VOD), tt.wantVOD)
			}
			var cats []string
			for _, c := range l.LiveCategories {
				cats = append(cats, c.Name)
			}
			if !equal(cats, tt.wantLiveCats) {
				t.Errorf("live categories = %v, want %v", cats, tt.wantLiveCats)
			}
		})
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestDirectoryAccess(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, _ := newDirectory(t)
	now := time.Now()
	for login, want := range map[string]subscriberview.Access{
		"alice": subscriberview.AccessActive, "carol": subscriberview.AccessDisabled, "dave": subscriberview.AccessExpired,
	} {
		sub, err := d.SubscriberByLogin(ctx, login)
		if err != nil {
			t.Fatal(err)
		}
		if got := sub.Access(now); got != want {
			t.Errorf("%s: access = %v, want %v", login, got, want)
		}
	}
	if _, err := d.SubscriberByToken(ctx, "nope"); api.ErrorCode(err) != api.CodeNotFound {
		t.Errorf("unknown token: err = %v, want not found", err)
	}
}

func TestResetTokenIsAuditedAndRetiresTheOldToken(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, s := newDirectory(t)
	actor := api.Actor{Kind: "subscriber", ID: 1, Login: "alice", ClientIP: "127.0.0.1"}
	tok, err := d.ResetToken(ctx, actor, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(tok) != 32 || tok == "tok-alice" {
		t.Errorf("new token = %q, want 32 fresh hex characters", tok)
	}
	if _, err := d.SubscriberByToken(ctx, "tok-alice"); api.ErrorCode(err) != api.CodeNotFound {
		t.Errorf("old token still finds a subscriber: err = %v", err)
	}
	sub, err := d.SubscriberByToken(ctx, tok)
	if err != nil || sub.Login != "alice" {
		t.Errorf("new token: got %q, %v; want alice", sub.Login, err)
	}
	entriesPage, err := s.FindAudit(ctx, api.AuditFilter{Entity: "subscriber", EntityID: "1"}, api.ListParams{})
	entries := entriesPage.Items
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Action != "reset_token" || entries[0].ActorLogin != "alice" {
		t.Fatalf("audit = %+v, want one reset_token by alice", entries)
	}
	if _, err := d.ResetToken(ctx, actor, 999); api.ErrorCode(err) != api.CodeNotFound {
		t.Errorf("reset of unknown subscriber: err = %v, want not found", err)
	}
}

func TestSessions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, s := newDirectory(t)
	ss := subscriberview.NewSessions(s)
	tok, err := ss.Create(ctx, subscriberview.Session{SubscriberID: 1, CSRFToken: "c1", ExpiresAt: time.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	got, err := ss.Find(ctx, tok)
	if err != nil || got.SubscriberID != 1 || got.CSRFToken != "c1" {
		t.Fatalf("find = %+v, %v; want subscriber 1 with csrf c1", got, err)
	}
	list, err := ss.List(ctx, 1)
	if err != nil || len(list) != 1 || list[0].CSRFToken != "" {
		t.Errorf("list = %+v, %v; want one session without its csrf token", list, err)
	}
	if err := ss.Delete(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if _, err := ss.Find(ctx, tok); api.ErrorCode(err) != api.CodeNotFound {
		t.Errorf("after delete: err = %v, want not found", err)
	}
	if _, err := ss.Create(ctx, subscriberview.Session{SubscriberID: 1, ExpiresAt: time.Now().Add(-time.Second)}); err != nil {
		t.Fatal(err)
	}
}

func TestDirectoryPackagesAndShownFields(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, _ := newDirectory(t)
	sub, err := d.SubscriberByToken(ctx, "tok-alice")
	if err != nil {
		t.Fatal(err)
	}
	if sub.Name != "Alice A" || sub.Balance != "12.50" || sub.PaymentInfo != "Pay by bank transfer to IBAN X." ||
		sub.Version != 1 || !sub.CreatedAt.Equal(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("alice = %+v, want name, balance 12.50, payment info, version 1 and created 2024-01-01", sub)
	}
	pkgs, err := d.Packages(ctx, sub)
	if err != nil {
		t.Fatal(err)
	}
	want := []subscriberview.Package{{ID: 1, Name: "Basic", Price: "9.90", Currency: "EUR", PeriodDays: 30}}
	if len(pkgs) != 1 || pkgs[0] != want[0] {
		t.Errorf("packages = %+v, want %+v", pkgs, want)
	}
	l, err := d.Lineup(ctx, sub)
	if err != nil {
		t.Fatal(err)
	}
	if ch, ok := l.Channel(1); !ok || !ch.Added.Equal(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)) || ch.DVRDays != 3 {
		t.Errorf("channel 1 = %+v, %v; want added 2024-01-02T03:04:05Z with 3 DVR days", ch, ok)
	}
	if v, ok := l.VODItem(1); !ok || v.Description != "A film." {
		t.Errorf("vod 1 = %+v, %v; want its description", v, ok)
	}
}
