package store_test

import (
	"context"
	"testing"
	"time"

	"canale/server/internal/credential"
	"canale/server/internal/store/storetest"
	"canale/shared/api"
)

func TestMain(m *testing.M) { storetest.Main(m) }

func TestMigrateIsIdempotent(t *testing.T) {
	t.Parallel()
	s := storetest.New(t)
	applied, err := s.Migrate(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) != 0 {
		t.Errorf("second migrate applied %v, want nothing", applied)
	}
	pending, err := s.PendingMigrations(context.Background())
	if err != nil || len(pending) != 0 {
		t.Errorf("pending: got %v, %v; want none", pending, err)
	}
}

func TestUpsertAdmin(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := storetest.New(t)
	actor := api.SystemActor("test")
	a, created, err := s.UpsertAdmin(ctx, actor, "root", api.RoleAdmin, "h1")
	if err != nil || !created {
		t.Fatalf("first upsert: got created=%v err=%v, want created", created, err)
	}
	tok := credential.HashToken("t")
	if err := s.CreateAdminToken(ctx, a.ID, tok, time.Now().Add(time.Hour), "", ""); err != nil {
		t.Fatal(err)
	}
	if _, created, err = s.UpsertAdmin(ctx, actor, "ROOT", api.RoleAdmin, "h2"); err != nil || created {
		t.Fatalf("re-key: got created=%v err=%v, want an update", created, err)
	}
	c, err := s.FindAdminByLogin(ctx, "Root")
	if err != nil || c.PasswordHash != "h2" {
		t.Errorf("after re-key: got hash %q err %v, want h2", c.PasswordHash, err)
	}
	if _, _, err := s.FindAdminByToken(ctx, tok); api.ErrorCode(err) != api.CodeNotFound {
		t.Errorf("token after re-key: got %v, want not_found (re-key revokes tokens)", err)
	}
	auditPage, err := s.FindAudit(ctx, api.AuditFilter{Entity: "admin"}, api.ListParams{})
	audit := auditPage.Items
	if err != nil || len(audit) != 2 {
		t.Fatalf("audit: got %d records, err %v; want 2", len(audit), err)
	}
	if audit[0].Action != "rekey" || audit[1].Action != "create" {
		t.Errorf("audit actions: got %s,%s; want rekey,create", audit[0].Action, audit[1].Action)
	}
}

func TestExpiredTokenIsNotFound(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := storetest.New(t)
	a, _, _ := s.UpsertAdmin(ctx, api.SystemActor("test"), "root", api.RoleAdmin, "h")
	tok := credential.HashToken("old")
	if err := s.CreateAdminToken(ctx, a.ID, tok, time.Now().Add(-time.Second), "", ""); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.FindAdminByToken(ctx, tok); api.ErrorCode(err) != api.CodeNotFound {
		t.Errorf("expired token: got %v, want not_found", err)
	}
	n, err := s.DeleteExpiredAdminTokens(ctx)
	if err != nil || n != 1 {
		t.Errorf("delete expired: got %d, %v; want 1", n, err)
	}
}

func TestExpiredResellerTokensAreSwept(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := storetest.New(t)
	r, err := s.CreateReseller(ctx, api.SystemActor("test"), api.Reseller{Login: "dealer"}, "h")
	if err != nil {
		t.Fatal(err)
	}
	old, live := credential.HashToken("old"), credential.HashToken("live")
	if err := s.CreateResellerToken(ctx, r.ID, old, time.Now().Add(-time.Second), "", ""); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateResellerToken(ctx, r.ID, live, time.Now().Add(time.Hour), "", ""); err != nil {
		t.Fatal(err)
	}
	if n, err := s.DeleteExpiredResellerTokens(ctx); err != nil || n != 1 {
		t.Errorf("delete expired: got %d, %v; want 1", n, err)
	}
	if _, _, err := s.FindResellerByToken(ctx, live); err != nil {
		t.Errorf("unexpired token after the sweep: %v", err)
	}
}

func TestResetEmptiesTables(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := storetest.New(t)
	if _, _, err := s.UpsertAdmin(ctx, api.SystemActor("test"), "root", api.RoleAdmin, "h"); err != nil {
		t.Fatal(err)
	}
	if err := s.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindAdminByLogin(ctx, "root"); api.ErrorCode(err) != api.CodeNotFound {
		t.Errorf("after reset: got %v, want not_found", err)
	}
	if pending, _ := s.PendingMigrations(ctx); len(pending) != 0 {
		t.Errorf("after reset pending migrations: %v, want none", pending)
	}
}
