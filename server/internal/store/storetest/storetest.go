// Package storetest gives tests a real, isolated PostgreSQL database.
//
// One throwaway cluster is started per test binary (or CANALE_TEST_DATABASE_URL
// is used), a template database is migrated once, and every test gets its own
// database cloned from the template, so tests run in parallel without seeing
// each other's rows. Without PostgreSQL a test skips with the reason, except
// under CI=true, where it fails: a missing database must never pass silently.
package storetest

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"canale/server/internal/pgsql"
	"canale/server/internal/store"

	"github.com/jackc/pgx/v5"
)

var (
	setupOnce  sync.Once
	setupErr   error
	cluster    *pgsql.Cluster
	clusterTmp string
	dsnFor     func(db string) string
	template   string
	counter    atomic.Int64
	kept       []string // databases of KeptDSN, dropped by teardown
)

// Main runs the tests of a package and then stops the cluster they used. Call
// it from TestMain: func TestMain(m *testing.M) { storetest.Main(m) }.
func Main(m *testing.M) {
	code := m.Run()
	teardown()
	os.Exit(code)
}

// DSN returns the connection string of a new database, migrated and empty,
// that is dropped when the test ends.
func DSN(tb testing.TB) string {
	tb.Helper()
	setupOnce.Do(setup)
	if setupErr != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("test database: %v", setupErr)
		}
		tb.Skipf("no test database (%v); install PostgreSQL or set CANALE_TEST_DATABASE_URL", setupErr)
	}
	name := fmt.Sprintf("%s_%d", template, counter.Add(1))
	if err := adminExec(fmt.Sprintf(`CREATE DATABASE %s TEMPLATE %s`, name, template)); err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	tb.Cleanup(func() {
		_ = adminExec(fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, name))
	})
	return dsnFor(name)
}

// EmptyDSN returns the connection string of a new database with no schema at
// all, for tests of the migrations themselves; it is dropped when the test ends.
func EmptyDSN(tb testing.TB) string {
	tb.Helper()
	DSN(tb) // make sure the server is up
	name := fmt.Sprintf("%s_empty_%d", template, counter.Add(1))
	if err := adminExec(`CREATE DATABASE ` + name); err != nil {
		tb.Fatalf("create empty database: %v", err)
	}
	tb.Cleanup(func() { _ = adminExec(fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, name)) })
	return dsnFor(name)
}

// New returns a Store on a new database (see DSN), closed when the test ends.
func New(tb testing.TB) *store.Store {
	tb.Helper()
	return Open(tb, DSN(tb))
}

// Open returns a Store on the database at dsn, closed when the test ends.
// It hashes the passwords it sets cheaply (cheapHasher).
func Open(tb testing.TB, dsn string) *store.Store {
	tb.Helper()
	s, err := store.Open(context.Background(), dsn, slog.New(slog.DiscardHandler))
	if err != nil {
		tb.Fatalf("open test store: %v", err)
	}
	s.HashPasswordsWith(cheapHasher{})
	tb.Cleanup(s.Close)
	return s
}

// ServerDSN returns the connection string of the maintenance database of the
// test server, for tests that need to create databases of their own.
func ServerDSN(tb testing.TB) string {
	tb.Helper()
	DSN(tb) // make sure the server is up
	return dsnFor("postgres")
}

// RoleDSN returns the connection string of database db on the test server
// as role with password, for tests of what a role without privileges can do.
func RoleDSN(tb testing.TB, role, password, db string) string {
	tb.Helper()
	DSN(tb) // make sure the server is up
	if cluster != nil {
		return cluster.DSNAs(role, db) // the throwaway cluster trusts its socket
	}
	u, err := url.Parse(os.Getenv("CANALE_TEST_DATABASE_URL"))
	if err != nil {
		tb.Fatal(err)
	}
	u.User, u.Path = url.UserPassword(role, password), "/"+db
	return u.String()
}

func setup() {
	template = fmt.Sprintf("canale_tpl_%d", os.Getpid())
	if env := os.Getenv("CANALE_TEST_DATABASE_URL"); env != "" {
		u, err := url.Parse(env)
		if err != nil {
			setupErr = fmt.Errorf("parse CANALE_TEST_DATABASE_URL: %w", err)
			return
		}
		dsnFor = func(db string) string { v := *u; v.Path = "/" + db; return v.String() }
	} else if setupErr = startCluster(); setupErr != nil {
		return
	}
	setupErr = migrateTemplate()
}

func startCluster() error {
	dir, err := os.MkdirTemp("", "cpg") // short: unix socket paths are limited to 107 bytes
	if err != nil {
		return err
	}
	clusterTmp = dir
	cluster = &pgsql.Cluster{Dir: dir, Throwaway: true}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if _, err := cluster.Start(ctx); err != nil {
		return err
	}
	dsnFor = cluster.DSN
	return nil
}

func migrateTemplate() error {
	if err := adminExec(`CREATE DATABASE ` + template); err != nil {
		return fmt.Errorf("create template: %w", err)
	}
	ctx := context.Background()
	s, err := store.Open(ctx, dsnFor(template), slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	defer s.Close()
	_, err = s.Migrate(ctx)
	return err
}

func adminExec(sql string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsnFor("postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

func teardown() {
	for _, name := range kept {
		_ = adminExec(fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, name))
	}
	if dsnFor != nil && setupErr == nil && cluster == nil {
		_ = adminExec(`DROP DATABASE IF EXISTS ` + template + ` WITH (FORCE)`)
	}
	if cluster != nil {
		cluster.Stop()
		os.RemoveAll(clusterTmp)
	}
}

// NewWithDSN is New that also returns the connection string, for tests that
// seed rows with Exec before the API to write them exists.
func NewWithDSN(tb testing.TB) (*store.Store, string) {
	tb.Helper()
	dsn := DSN(tb)
	return Open(tb, dsn), dsn
}
