package cli_test

import (
	"context"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"canale/server/internal/cli"
	"canale/server/internal/credential"
	"canale/server/internal/pgsql"
	"canale/server/internal/store"
	"canale/server/internal/store/storetest"
	"canale/shared/api"
	"canale/shared/client"
)

// killPostmaster SIGKILLs the embedded cluster's postmaster, as the kernel's
// OOM killer would, and returns its pid.
func killPostmaster(t *testing.T, dir string) int {
	t.Helper()
	pid := postmasterPID(t, dir)
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatalf("kill postmaster %d: %v", pid, err)
	}
	return pid
}

func readyz(url string) int {
	resp, err := http.Get(url + "/readyz")
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestKilledEmbeddedPostgresIsRestarted(t *testing.T) {
	dir := shortTempDir(t)
	login, password := setupInit(t, "--data-dir", dir)
	url, stop := serve(t, "--data-dir", dir)
	defer stop()
	c := client.New(url, nil)
	ctx := context.Background()
	if _, err := c.Login(ctx, login, password); err != nil {
		t.Fatal(err)
	}
	killed := killPostmaster(t, dir)

	deadline := time.Now().Add(60 * time.Second)
	kinds := map[string]api.Severity{}
	for time.Now().Before(deadline) && (readyz(url) != http.StatusOK || len(kinds) < 2) {
		time.Sleep(100 * time.Millisecond)
		alerts, _ := c.Alerts(ctx)
		for _, a := range alerts {
			kinds[a.Kind] = a.Severity
		}
	}
	if got := readyz(url); got != http.StatusOK {
		t.Fatalf("readyz %d after the postmaster was killed; want 200 once it is restarted", got)
	}
	if kinds[api.AlertDatabaseDown] != api.SeverityCritical || kinds[api.AlertDatabaseUp] != api.SeverityInfo {
		t.Errorf("alerts %v; want a critical %s and an info %s", kinds, api.AlertDatabaseDown, api.AlertDatabaseUp)
	}
	if pid := postmasterPID(t, dir); pid == killed {
		t.Errorf("postmaster pid still %d", pid)
	}
	if _, err := c.Me(ctx); err != nil {
		t.Errorf("the session written before the crash: %v", err)
	}
}

// postmasterPID reads the pid of the embedded cluster's postmaster.
func postmasterPID(t *testing.T, dir string) int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "postgresql", "data", "postmaster.pid"))
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.SplitN(string(b), "\n", 2)[0])
	if err != nil {
		t.Fatal(err)
	}
	return pid
}

func TestEmbeddedPostgresThatCannotComeBackEndsServe(t *testing.T) {
	dir := shortTempDir(t)
	setupInit(t, "--data-dir", dir)
	var out, errOut syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- cli.Main(context.Background(), testBuild, []string{"serve", "--http-addr", "127.0.0.1:0", "--data-dir", dir},
			cli.IO{In: strings.NewReader(""), Out: &out, Err: &errOut, Getenv: noEnv})
	}()
	for i := 0; bannerURL.FindString(out.String()) == ""; i++ {
		if i > 3000 {
			t.Fatalf("serve not up: %s", errOut.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	data := filepath.Join(dir, "postgresql", "data")
	// PostgreSQL refuses a data directory with these permissions, whoever runs it.
	if err := os.Chmod(data, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(data, 0o700) })
	killPostmaster(t, dir)
	select {
	case code := <-done:
		if code == 0 || !strings.Contains(errOut.String(), "did not come back") {
			t.Errorf("serve exited %d, %q; want non-zero saying PostgreSQL did not come back", code, errOut.String())
		}
	case <-time.After(90 * time.Second):
		t.Fatalf("serve still running 90s after its PostgreSQL was lost for good: %s", errOut.String())
	}
}

// superuserQuery runs a query as the superuser on the embedded cluster of dir,
// which a running serve owns.
func superuserQuery(t *testing.T, dir, db, sql string, dest ...any) {
	t.Helper()
	cluster := &pgsql.Cluster{Dir: filepath.Join(dir, "postgresql")}
	storetest.QueryRow(t, cluster.DSN(db), sql, nil, dest...)
}

func TestNewEmbeddedClusterRunsAsCanaleRole(t *testing.T) {
	dir := shortTempDir(t)
	login, password := setupInit(t, "--data-dir", dir)
	url, stop := serve(t, "--data-dir", dir)
	defer stop()
	if _, err := client.New(url, nil).Login(context.Background(), login, password); err != nil {
		t.Fatal(err)
	}
	var super, createDB, createRole bool
	superuserQuery(t, dir, "postgres", `SELECT rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = 'canale'`,
		&super, &createDB, &createRole)
	if super || createDB || createRole {
		t.Errorf("role canale: superuser %v, createdb %v, createrole %v; want none", super, createDB, createRole)
	}
	var owner string
	superuserQuery(t, dir, "postgres", `SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'canale'`, &owner)
	if owner != "canale" {
		t.Errorf("database canale owned by %q, want canale", owner)
	}
	var others, tables int
	superuserQuery(t, dir, "postgres", `SELECT count(*) FROM pg_stat_activity
		WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND (usename <> 'canale' OR datname <> 'canale')`, &others)
	if others != 0 {
		t.Errorf("%d sessions other than canale on database canale; want the server on nothing else", others)
	}
	superuserQuery(t, dir, "canale", `SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = 'canale'`, &tables)
	if tables < 10 {
		t.Errorf("%d tables owned by canale; want the whole schema", tables)
	}
}

// TestUpgradeFromOldLayoutDataDir makes a data directory as Canale did before
// the canale role (tables in the postgres database, as the superuser) and
// expects the new server to run on it with its data.
func TestUpgradeFromOldLayoutDataDir(t *testing.T) {
	dir := shortTempDir(t)
	ctx := context.Background()
	cluster := &pgsql.Cluster{Dir: filepath.Join(dir, "postgresql")}
	if _, err := cluster.Start(ctx); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(ctx, cluster.DSN("postgres"), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	hash, _ := credential.HashPassword("old-layout-password")
	if _, _, err := s.UpsertAdmin(ctx, api.SystemActor("test"), "old", api.RoleAdmin, hash); err != nil {
		t.Fatal(err)
	}
	s.Close()
	cluster.Stop()

	url, stop := serve(t, "--data-dir", dir)
	defer stop()
	if _, err := client.New(url, nil).Login(ctx, "old", "old-layout-password"); err != nil {
		t.Fatalf("sign in with the admin of the old layout: %v", err)
	}
	var canaleDBs int
	superuserQuery(t, dir, "postgres", `SELECT count(*) FROM pg_database WHERE datname = 'canale'`, &canaleDBs)
	if canaleDBs != 0 {
		t.Error("a canale database was created beside the old layout's data")
	}
	if code := readyz(url); code != http.StatusOK {
		t.Errorf("readyz %d, want 200", code)
	}
}
