// Package testserver starts a complete Canale server instance for end-to-end
// tests: the real wiring (package app) over a fresh database from storetest,
// behind httptest, with an administrator signed in through shared/client.
package testserver

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"canale/server/internal/app"
	"canale/server/internal/config"
	"canale/server/internal/credential"
	"canale/server/internal/httpserver"
	"canale/server/internal/store"
	"canale/server/internal/store/storetest"
	"canale/shared/api"
	"canale/shared/client"

	"github.com/gin-gonic/gin"
)

// Gin's debug mode prints every route of every engine a test builds.
func init() { gin.SetMode(gin.TestMode) }

// AdminPassword is the password of the "admin" account every test server has.
const AdminPassword = "test-admin-password"

// Server is a running test instance.
type Server struct {
	URL    string
	Store  *store.Store
	App    *app.App
	Admin  *client.Client // signed in as "admin" (role admin)
	Config config.Config
	HTTP   *httptest.Server
	dsn    string
}

// DSN is the connection string of the server's database, for fixtures the
// API has no route for yet.
func (s *Server) DSN() string { return s.dsn }

// Start starts a server on a new database; everything stops when the test ends.
func Start(tb testing.TB) *Server {
	tb.Helper()
	return StartWith(tb)
}

// StartWith is Start with `canale serve` flags, e.g.
// StartWith(t, "--trusted-proxies", "127.0.0.1").
func StartWith(tb testing.TB, args ...string) *Server {
	tb.Helper()
	return start(tb, storetest.DSN(tb), args...).withAdmin(tb)
}

// withAdmin creates the "admin" account and signs it in.
func (s *Server) withAdmin(tb testing.TB) *Server {
	tb.Helper()
	CreateAdmin(tb, s.Store, "admin", api.RoleAdmin, AdminPassword)
	s.Admin = s.SignIn(tb, "admin", AdminPassword)
	return s
}

// StartOn starts a server on the database at dsn, migrating it first, with
// an "admin" account signed in; everything stops when the test ends. Tests of
// the database grants use it with a database of their own.
func StartOn(tb testing.TB, dsn string) *Server {
	tb.Helper()
	s := storetest.Open(tb, dsn)
	if _, err := s.Migrate(context.Background()); err != nil {
		tb.Fatalf("migrate: %v", err)
	}
	return start(tb, dsn).withAdmin(tb)
}

// Another starts a second instance on s's database, as a cluster runs
// several behind one load balancer, with the same administrator signed in.
func (s *Server) Another(tb testing.TB) *Server {
	tb.Helper()
	srv := start(tb, s.dsn)
	srv.Admin = srv.SignIn(tb, "admin", AdminPassword)
	return srv
}

func start(tb testing.TB, dsn string, args ...string) *Server {
	tb.Helper()
	s := storetest.Open(tb, dsn)
	cfg, err := config.Parse("test", append([]string{"--data-dir", tb.TempDir()}, args...), func(string) string { return "" }, io.Discard)
	if err != nil {
		tb.Fatal(err)
	}
	logger := slog.New(slog.DiscardHandler)
	inst := app.NewInstance(logger)
	a := inst.Start(context.Background(), cfg, s, "test")
	// httptest serves (tests close its client connections to drop the
	// server), with the production http.Server, so its timeouts are under
	// test too.
	ts := httptest.NewUnstartedServer(a.Handler())
	ts.Config = httpserver.NewServer(a.Handler(), logger)
	ts.Start()
	tb.Cleanup(func() { ts.Close(); inst.Close() })
	select {
	case <-a.Listening():
	case <-time.After(30 * time.Second):
		tb.Fatal("the server did not start listening for changes within 30s")
	}
	return &Server{URL: ts.URL, Store: s, App: a, Config: cfg, HTTP: ts, dsn: dsn}
}

// CreateAdmin creates (or re-keys) an account directly in the store.
func CreateAdmin(tb testing.TB, s *store.Store, login string, role api.Role, password string) api.Admin {
	tb.Helper()
	hash, err := credential.HashPassword(password)
	if err != nil {
		tb.Fatal(err)
	}
	a, _, err := s.UpsertAdmin(context.Background(), api.SystemActor("test"), login, role, hash)
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

// SignIn returns a client signed in with the given credentials.
func (s *Server) SignIn(tb testing.TB, login, password string) *client.Client {
	tb.Helper()
	c := client.New(s.URL, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := c.Login(ctx, login, password); err != nil {
		tb.Fatalf("sign in as %s: %v", login, err)
	}
	return c
}

// StartBare starts a server on the database at dsn as it is, creating no
// administrator: upgrade and restore tests bring their own data.
func StartBare(tb testing.TB, dsn string) *Server {
	tb.Helper()
	return start(tb, dsn)
}
