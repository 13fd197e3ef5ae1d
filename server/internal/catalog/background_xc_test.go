package catalog_test

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"canale/server/internal/catalog"
	"canale/server/internal/importxc"
	"canale/server/internal/testmariadb"
)

// TestXCImportGivesQuietAnswers runs a full XC import into the live
// database under play checks and token resets (issue 21). The import
// replaces every subscriber in one transaction: until it commits, every
// play check must answer as before it (compared at its commit phase, all
// its rows loaded); after, each reset must play at once while the rebuild
// the import causes runs, and the model must end as a quiet load of the
// imported catalog. The checks start once the import holds the catalog: a
// reset committed before it would rightly be replaced by the import, so
// its new token could not be asked to play. The lines keep the ids of the
// subscribers they replace, so the resets find them after the commit;
// every subscriber is touched.
func TestXCImportGivesQuietAnswers(t *testing.T) {
	const lines = 1_000
	b := setupBusy(t, lines)
	db := testmariadb.Start(t).Open(t, "xtream_iptvpro")
	xcPanel(t, db, lines)
	before := quiet(t, b.st)
	holds := make(chan struct{})
	var once sync.Once
	result := make(chan error, 1)
	var committing time.Time // read once result is received
	go func() {
		rep, err := importxc.Run(context.Background(), db, b.st, importxc.Options{Replace: true, Logger: slog.New(slog.DiscardHandler),
			OnPhase: func(phase string) {
				once.Do(func() { close(holds) }) // phases start after the catalog is emptied, in the transaction
				if phase == "commit" {
					sameAsQuiet(t, b.cat, before)
					committing = time.Now()
				}
			}})
		if err == nil && rep.Imported["subscribers"] != lines {
			err = fmt.Errorf("XC import: %d subscribers imported, want %d", rep.Imported["subscribers"], lines)
		}
		once.Do(func() { close(holds) })
		result <- err
	}()
	<-holds
	job := func(context.Context) error { return <-result }
	// Settled once the rebuild the import's reset event starts has
	// published: a reset refreshes its subscriber into the old model, so
	// an imported row found there says nothing about the rest.
	rebuilt := func(c *catalog.Catalog) bool { return c.Stats().At.After(committing) }
	checkWhile(t, b, job, func(int64) bool { return true }, rebuilt)
}

// xcPanel loads an XC panel into db: the schema of the importxc tests, one
// server, one category, ten live streams in one bouquet, a reseller, and
// lines lines with ids 1 to lines (logins xcline1...).
func xcPanel(t *testing.T, db *sql.DB, lines int) {
	t.Helper()
	schema, err := os.ReadFile("../importxc/testdata/xc_schema.sql")
	if err != nil {
		t.Fatal(err)
	}
	exec := func(q string) {
		if _, err := db.ExecContext(context.Background(), q); err != nil {
			t.Fatalf("MariaDB: %v\n%.300s", err, q)
		}
	}
	exec(string(schema))
	exec(`INSERT INTO streaming_servers (id, server_name, domain_name, server_ip) VALUES (1, 'Main', 'tv.example.com', '10.0.0.1')`)
	exec(`INSERT INTO stream_categories (id, category_type, category_name, cat_order) VALUES (1, 'live', 'XC', 1)`)
	exec(`INSERT INTO reg_users (id, username, password, email, date_registered, member_group_id, credits, notes, status, default_lang, reseller_dns, owner_id) VALUES
		(1, 'admin', 'x', '', 1500000000, 1, 0, '', 1, '', '', 0), (2, 'reseller', 'x', '', 1500000000, 4, 100, '', 1, '', '', 1)`)
	var streams, ids []string
	for i := range 10 {
		ids = append(ids, fmt.Sprint(1000+i))
		streams = append(streams, fmt.Sprintf(`(%d, 1, 1, 'XC stream %d', '["http://src.example/%d.ts"]', '', '', '', '', '', '', '', 0, '', '')`, 1000+i, i, i))
	}
	exec(`INSERT INTO bouquets (id, bouquet_name, bouquet_channels, bouquet_series) VALUES (1, 'All', '[` + strings.Join(ids, ",") + `]', '')`)
	exec(`INSERT INTO streams (id, type, category_id, stream_display_name, stream_source, stream_icon,
		transcode_attributes, custom_ffmpeg, movie_subtitles, auto_restart, pids_create_channel, cchannel_rsources, added, custom_map, external_push) VALUES ` + strings.Join(streams, ","))
	expires := time.Now().AddDate(1, 0, 0).Unix()
	for from := 1; from <= lines; from += 500 {
		var vals []string
		for i := from; i <= min(lines, from+499); i++ {
			vals = append(vals, fmt.Sprintf("(%d, 2, 'xcline%d', 'pw-%d', %d, 1, 1, '', '', '[1]', %d, '', '', 0, 1600000000, 1, '')",
				i, i, i, expires, 1+i%3))
		}
		exec(`INSERT INTO users (id, member_id, username, password, exp_date, admin_enabled, enabled, admin_notes,
			reseller_notes, bouquet, max_connections, allowed_ips, allowed_ua, is_trial, created_at, created_by, play_token) VALUES ` + strings.Join(vals, ","))
	}
}
