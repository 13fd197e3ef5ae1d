package cli_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"canale/server/internal/cli"
	"canale/server/internal/credential"
	"canale/server/internal/pgsql"
	"canale/server/internal/store"
	"canale/server/internal/store/storetest"
	"canale/server/internal/testserver"
	"canale/shared/client"

	"github.com/google/go-cmp/cmp"
)

const (
	adminPassword    = "release-admin-pw"
	resellerPassword = "release-reseller-pw"
)

// seededCluster starts the embedded cluster of a new data directory, with
// the current schema filled by the release seed, and returns the directory
// and a function that counts every table's rows.
func seededCluster(t *testing.T) (dir string, counts func() map[string]int64) {
	t.Helper()
	dir = shortTempDir(t)
	cluster := &pgsql.Cluster{Dir: filepath.Join(dir, "postgresql")}
	if _, err := cluster.Start(context.Background()); err != nil {
		if os.Getenv("CI") != "true" && err == pgsql.ErrNotInstalled {
			t.Skip(err)
		}
		t.Fatal(err)
	}
	t.Cleanup(cluster.Stop)
	if _, code := run(t, "", "setup", "reset", "--yes", "--data-dir", dir); code != 0 {
		t.Fatal("setup reset failed")
	}
	// setup reset made the canale role and database a new cluster serves.
	dsn := cluster.DSNAs(store.AppRole, store.AppRole)
	var hashes []string
	for _, pw := range []string{adminPassword, resellerPassword, "subscriber-pw"} {
		h, err := credential.HashPassword(pw)
		if err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, h)
	}
	storetest.Exec(t, dsn, storetest.ReleaseSeedSQL(hashes[0], hashes[1], hashes[2]))
	s := storetest.Open(t, dsn)
	return dir, func() map[string]int64 {
		t.Helper()
		c, err := s.TableRowCounts(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
}

// runErr runs a command and returns its exit code and standard error.
func runErr(t *testing.T, args ...string) (int, string) {
	t.Helper()
	code, _, errOut := runBoth(t, args...)
	return code, errOut
}

// runBoth runs a command and returns its exit code, output and standard error.
func runBoth(t *testing.T, args ...string) (code int, out, errOut string) {
	t.Helper()
	var o, e syncBuffer
	code = cli.Main(context.Background(), testBuild, args, cli.IO{In: strings.NewReader(""), Out: &o, Err: &e, Getenv: noEnv})
	return code, o.String(), e.String()
}

// signInTables hold the sessions of staff, resellers and subscribers; a
// restore leaves them empty.
var signInTables = []string{"admin_tokens", "reseller_tokens", "portal_sessions"}

// sessionsWork reports, for each session the release seed holds (an admin
// token, a reseller token, a portal cookie), whether the server at base
// accepts it.
func sessionsWork(t *testing.T, base string) map[string]bool {
	t.Helper()
	ctx := context.Background()
	got := map[string]bool{}
	admin := client.New(base, nil)
	admin.SetToken("admin-token-1")
	_, err := admin.Me(ctx)
	got["admin token"] = err == nil
	reseller := client.New(base, nil)
	reseller.SetToken("reseller-token-1")
	_, err = reseller.Me(ctx)
	got["reseller token"] = err == nil
	req, _ := http.NewRequest(http.MethodGet, base+"/account", nil)
	req.AddCookie(&http.Cookie{Name: "canale_session", Value: "portal-1"})
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	got["portal session"] = res.StatusCode == http.StatusOK
	return got
}

// TestBackupResetRestore is the operator's round trip: back up, wipe with
// setup reset, restore, and find every table's rows, the admin, the
// reseller's credits and the playback tokens as they were. On the way, a
// restore into the installation that still holds data is refused, and a
// truncated backup fails without changing anything, even with --replace.
// Sessions are the exception: one revoked after the backup must not come
// back with it, so every session valid at backup time is refused after the
// restore, and staff sign in again with their passwords.
func TestBackupResetRestore(t *testing.T) {
	dir, counts := seededCluster(t)
	url, stop := serve(t, "--data-dir", dir)
	for what, ok := range sessionsWork(t, url) {
		if !ok {
			t.Errorf("before the backup: the seed's %s is refused", what)
		}
	}
	stop()
	file := filepath.Join(dir, "full.dump")
	code, out, progress := runBoth(t, "backup", "--out", file, "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "backup written: "+file) {
		t.Fatalf("backup: exit %d, %q, %q", code, out, progress)
	}
	if !strings.Contains(progress, "backing up: ") {
		t.Errorf("backup printed no progress: %q", progress)
	}
	want := counts()
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v %v; want it readable by its owner only", fi, err)
	}

	if code, errOut := runErr(t, "restore", file, "--data-dir", dir); code == 0 || !strings.Contains(errOut, "the database is not empty") {
		t.Errorf("restore into an installation holding data without --replace: exit %d, %q; want refused", code, errOut)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	// Cut in the table of contents, and in the last table's rows: the
	// second is only found once the restore has emptied the schema inside
	// its transaction.
	for _, cut := range []struct{ name, want string }{
		{"toc", "is not a readable backup"}, {"rows", "cannot be read to the end, nothing changed"}} {
		truncated := filepath.Join(dir, cut.name+".dump")
		n := len(b) * 2 / 3
		if cut.name == "rows" {
			n = len(b) - 16
		}
		if err := os.WriteFile(truncated, b[:n], 0o600); err != nil {
			t.Fatal(err)
		}
		if code, errOut := runErr(t, "restore", "--replace", "--data-dir", dir, truncated); code == 0 || !strings.Contains(errOut, cut.want) {
			t.Errorf("restore of a backup truncated in its %s: exit %d, %q; want failure saying %q", cut.name, code, errOut, cut.want)
		}
	}
	if diff := cmp.Diff(want, counts()); diff != "" {
		t.Errorf("refused restores changed rows (-want +got):\n%s", diff)
	}

	if _, code := run(t, "", "setup", "reset", "--yes", "--data-dir", dir); code != 0 {
		t.Fatal("setup reset failed")
	}
	for table, n := range counts() {
		if n > 0 && table != "schema_migrations" {
			t.Fatalf("after setup reset %s has %d rows", table, n)
		}
	}
	out, code = run(t, "", "restore", file, "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "restored "+file) {
		t.Fatalf("restore: exit %d, %q", code, out)
	}
	for _, table := range signInTables {
		want[table] = 0
	}
	if diff := cmp.Diff(want, counts()); diff != "" {
		t.Errorf("rows after the restore (-want +got):\n%s", diff)
	}
	url, stop = serve(t, "--data-dir", dir)
	defer stop()
	for what, ok := range sessionsWork(t, url) {
		if ok {
			t.Errorf("after the restore: the backup's %s still works", what)
		}
	}
	testserver.CheckReleaseData(t, url, adminPassword, resellerPassword)
}
