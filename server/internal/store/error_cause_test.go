package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"canale/server/internal/store/storetest"
	"canale/shared/api"

	"github.com/jackc/pgx/v5/pgconn"
)

// TestErrorKeepsDatabaseCause checks that a mapped error still carries what
// PostgreSQL said, for the log, behind the caller-safe message.
func TestErrorKeepsDatabaseCause(t *testing.T) {
	t.Parallel()
	s := storetest.New(t)
	createSource(t, s, "guide")
	_, err := s.CreateEPGSource(context.Background(), epgActor, api.EPGSource{Name: "guide", URL: "http://127.0.0.1/g.xml"})
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.ConstraintName != "epg_sources_name_key" {
		t.Fatalf("got %v, want a cause naming epg_sources_name_key", err)
	}
	if got, want := api.ErrorMessage(err), "already exists"; got != want {
		t.Errorf("caller message: got %q, want %q", got, want)
	}
	if !strings.Contains(err.Error(), "epg_sources_name_key") {
		t.Errorf("got %q, want the constraint in the logged text", err.Error())
	}
}
