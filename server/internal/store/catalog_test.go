package store_test

import (
	"context"
	"log/slog"
	"testing"

	"canale/server/internal/store"
	"canale/server/internal/store/storetest"
	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

// TestDeletePackageHeldBySubscriber inserts the subscriber with plain SQL, so
// it does not depend on the subscriber store.
func TestDeletePackageHeldBySubscriber(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := storetest.DSN(t)
	s, err := store.Open(ctx, dsn, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	actor := api.SystemActor("test")
	p, err := s.CreatePackage(ctx, actor, api.Package{Name: "Premium", Price: "5"})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var subID int64
	if err := conn.QueryRow(ctx, `INSERT INTO subscribers (login, password_hash, token) VALUES ('bob', 'x', 'tok') RETURNING id`).Scan(&subID); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `INSERT INTO subscriber_packages (subscriber_id, package_id) VALUES ($1, $2)`, subID, p.ID); err != nil {
		t.Fatal(err)
	}
	err = s.DeletePackage(ctx, actor, p.ID)
	if api.ErrorCode(err) != api.CodeConflict {
		t.Fatalf("delete held package: got %v, want conflict", err)
	}
	if _, err := s.FindPackageByID(ctx, p.ID); err != nil {
		t.Errorf("package after refused delete: %v", err)
	}
	if _, err := conn.Exec(ctx, `DELETE FROM subscriber_packages WHERE subscriber_id = $1`, subID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeletePackage(ctx, actor, p.ID); err != nil {
		t.Errorf("delete package no one holds: %v", err)
	}
}

func TestStreamerCredentialsStayInStore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := storetest.New(t)
	st, err := s.CreateStreamer(ctx, api.SystemActor("test"), api.StreamerCreate{Name: "a", APIURL: "http://127.0.0.1:1",
		StreamerCredentials: api.StreamerCredentials{APILogin: "l", APIPassword: "p"}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.FindStreamerCredentials(ctx, st.ID)
	if err != nil || c.APILogin != "l" || c.APIPassword != "p" {
		t.Fatalf("credentials: got %+v, %v", c, err)
	}
	u, err := s.UpdateStreamer(ctx, api.SystemActor("test"), st.ID, api.StreamerUpdate{Name: new(string), Version: st.Version})
	if api.ErrorCode(err) != api.CodeInvalid {
		t.Errorf("empty name: got %+v, %v; want invalid", u, err)
	}
	if c2, _ := s.FindStreamerCredentials(ctx, st.ID); c2 != c {
		t.Errorf("credentials changed by a rejected update: %+v", c2)
	}
}

func TestChannelListRejectsBadSortAndCursor(t *testing.T) {
	t.Parallel()
	s := storetest.New(t)
	for _, p := range []api.ListParams{{Sort: "password"}, {Cursor: "%%%"}} {
		if _, err := s.FindChannels(context.Background(), api.ChannelFilter{}, p); api.ErrorCode(err) != api.CodeInvalid {
			t.Errorf("%+v: got %v, want invalid", p, err)
		}
	}
}
