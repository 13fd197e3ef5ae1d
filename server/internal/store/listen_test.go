package store_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"canale/server/internal/store/storetest"
	"canale/shared/api"
)

func TestListenChanges(t *testing.T) {
	s := storetest.New(t)
	ctx, cancel := context.WithCancel(context.Background())
	changes := make(chan api.Change, 16)
	done := make(chan error, 1)
	go func() { done <- s.ListenChanges(ctx, func(c api.Change) { changes <- c }) }()
	defer func() { cancel(); <-done }()

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
