package adminapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"canale/server/internal/credential"
	"canale/server/internal/store/storetest"
	"canale/server/internal/testserver"
	"canale/shared/api"
	"canale/shared/client"
)

func slowClient(srv *testserver.Server) *client.Client {
	c := client.New(srv.URL, &http.Client{Timeout: 10 * time.Minute})
	c.SetToken(srv.Admin.Token())
	return c
}

// TestImport100k imports a generated file of 100,000 lines: 99,000 with
// argon2id hashes from another Canale, 1,000 with plaintext passwords.
func TestImport100k(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := testserver.Start(t)
	storetest.QueryRow(t, srv.DSN(), `INSERT INTO packages (name) VALUES ('Basic'), ('Sport')`, nil)
	hash, err := credential.HashPassword("shared-password")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("login,password,name,contact,status,expires_at,max_sessions,packages,notes,is_mag\n")
	for i := 1; i <= 100000; i++ {
		pw := `"` + hash + `"` // a PHC hash has commas: quote it as CSV does
		if i%100 == 0 {
			pw = fmt.Sprintf("plain-%d", i)
		}
		fmt.Fprintf(&b, "user%06d,%s,Name %d,user%d@example.com,active,2030-01-02,2,Basic|sport,note,%d\n", i, pw, i, i, i%2)
	}
	start := time.Now()
	rep, err := slowClient(srv).ImportSubscribers(ctx, strings.NewReader(b.String()), true, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("imported 100,000 lines in %v", time.Since(start))
	if rep.Created != 100000 || rep.Hashed != 1000 || len(rep.Errors) != 0 || len(rep.Skipped) != 0 {
		t.Fatalf("report: got created=%d hashed=%d errors=%v skipped=%d, want 100000, 1000, none, none",
			rep.Created, rep.Hashed, rep.Errors[:min(5, len(rep.Errors))], len(rep.Skipped))
	}
	page, err := srv.Admin.Subscribers(ctx, api.SubscriberFilter{}, api.ListParams{Query: "user099999"})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("search the import: got %d, %v", len(page.Items), err)
	}
	got := page.Items[0]
	if len(got.PackageIDs) != 2 || got.MaxSessions != 2 || got.ExpiresAt == nil || !strings.Contains(string(got.Attributes), `"is_mag":"1"`) {
		t.Errorf("imported row: got %+v, want 2 packages, 2 sessions, an expiry and is_mag in attributes", got)
	}
	creds, err := srv.Store.FindSubscriberByLogin(ctx, "user000100")
	if err != nil || credential.VerifyPassword(creds.PasswordHash, "plain-100") != nil || !credential.NeedsRehash(creds.PasswordHash) {
		t.Errorf("plaintext password: got hash %q, %v; want it verifiable and flagged for rehash", creds.PasswordHash, err)
	}
}

const badImport = `login,password,name,status,expires_at,max_sessions,packages
good1,pw,One,active,2030-01-01,1,Basic
,pw,No login,active,,,
bad-status,pw,X,sleeping,,,
bad-date,pw,X,active,tomorrow,,
bad-package,pw,X,active,,,Nope
good1,pw,Repeated,active,,,
existing,pw,Already here,active,,,
good2,pw,Two,disabled,,3,
`

func TestSubscriberImportBadLines(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := testserver.Start(t)
	storetest.QueryRow(t, srv.DSN(), `INSERT INTO packages (name) VALUES ('Basic')`, nil)
	if _, err := srv.Admin.CreateSubscriber(ctx, api.Subscriber{Login: "existing", Password: "pw"}); err != nil {
		t.Fatal(err)
	}
	wantErrors := []int{3, 4, 5, 6, 7}
	tests := []struct {
		name        string
		strict, dry bool
		wantCreated int
		wantInDB    int
	}{
		{"Strict", true, false, 0, 1},
		{"DryRun", false, true, 2, 1},
		{"Lenient", false, false, 2, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := srv.Admin.ImportSubscribers(ctx, strings.NewReader(badImport), tt.strict, tt.dry)
			if err != nil {
				t.Fatal(err)
			}
			var lines []int
			for _, e := range rep.Errors {
				lines = append(lines, e.Line)
			}
			if fmt.Sprint(lines) != fmt.Sprint(wantErrors) || len(rep.Skipped) != 1 || rep.Skipped[0].Line != 8 {
				t.Errorf("report: got errors %+v skipped %+v, want errors on %v and line 8 skipped", rep.Errors, rep.Skipped, wantErrors)
			}
			if rep.Created != tt.wantCreated {
				t.Errorf("created: got %d, want %d", rep.Created, tt.wantCreated)
			}
			page, _ := srv.Admin.Subscribers(ctx, api.SubscriberFilter{}, api.ListParams{})
			if len(page.Items) != tt.wantInDB {
				t.Errorf("subscribers in the database: got %d, want %d", len(page.Items), tt.wantInDB)
			}
		})
	}
}
