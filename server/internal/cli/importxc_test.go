package cli_test

import (
	"fmt"
	"strings"
	"testing"

	"canale/server/internal/store/storetest"
	"canale/server/internal/testmariadb"
)

// A minimal XC database: only the columns an old panel version is sure to
// have, which the importer must tolerate.
const minimalXC = `
CREATE TABLE users (id int PRIMARY KEY, member_id int, username varchar(50), password varchar(255), bouquet text, exp_date int);
CREATE TABLE user_output (id int PRIMARY KEY AUTO_INCREMENT, user_id int, access_output_id int);
CREATE TABLE streams (id int PRIMARY KEY, type int, stream_display_name text, stream_source text);
CREATE TABLE bouquets (id int PRIMARY KEY, bouquet_name text, bouquet_channels text);
INSERT INTO streams VALUES (5, 1, 'One', '["http:\\/\\/a\\/1.ts"]'), (6, 2, 'Film', '["http://a/f.mp4"]');
INSERT INTO bouquets VALUES (2, 'All', '[5,6]');
INSERT INTO users VALUES (9, 0, 'line9', 'secret9', '[2]', NULL);
`

func TestImportXCCommand(t *testing.T) {
	srv := testmariadb.Start(t)
	db := srv.Open(t, "xtream_iptvpro")
	if _, err := db.Exec(minimalXC); err != nil {
		t.Fatal(err)
	}
	mysqlDSN := fmt.Sprintf("root@tcp(127.0.0.1:%d)/xtream_iptvpro", srv.Port)
	pg := storetest.DSN(t)
	base := []string{"import", "xc", "--mysql", mysqlDSN, "--database-url", pg, "--data-dir", t.TempDir()}

	out, code := run(t, "", append(base, "--dry-run")...)
	if code != 0 || !strings.Contains(out, "dry run") || !strings.Contains(out, "subscribers          1") {
		t.Fatalf("dry run: exit %d, output:\n%s", code, out)
	}
	out, code = run(t, "", base...)
	if code != 0 || !strings.Contains(out, "channels             1") || !strings.Contains(out, "vod                  1") {
		t.Fatalf("import: exit %d, output:\n%s", code, out)
	}
	if _, code = run(t, "", base...); code != 1 {
		t.Errorf("second import without --replace: exit %d, want 1", code)
	}
	if out, code = run(t, "", append(base, "--replace")...); code != 0 {
		t.Errorf("import --replace: exit %d, output:\n%s", code, out)
	}
	if _, code = run(t, "", "import", "xc", "--data-dir", t.TempDir()); code != 1 {
		t.Errorf("import xc without --mysql: exit %d, want 1", code)
	}
	// --vod-path must be DIR=PREFIX, and PREFIX a configured VOD storage.
	if code, _, errOut := runBoth(t, append(base, "--dry-run", "--vod-path", "/home/xc")...); code == 0 || !strings.Contains(errOut, "DIR=PREFIX") {
		t.Errorf("--vod-path without a prefix: exit %d, stderr:\n%s", code, errOut)
	}
	if code, _, errOut := runBoth(t, append(base, "--dry-run", "--replace", "--vod-path", "/home/xc=films")...); code != 1 ||
		!strings.Contains(errOut, `no VOD storage has prefix "films"`) {
		t.Errorf("--vod-path naming no storage: exit %d, stderr:\n%s", code, errOut)
	}
}
