//go:build loadtest

package loadtest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"canale/server/internal/importxc"
	"canale/server/internal/store/storetest"
	"canale/server/internal/testmariadb"
)

// xcJob imports an Xtream Codes panel of lines lines (plaintext passwords,
// as XC keeps them) and streams live streams from MariaDB, replacing the
// catalog of a second database of the same PostgreSQL cluster, from the
// server's process: the import's own work (reading the panel, hashing the
// passwords, COPY) competes with the play checks for the machine. Into
// the server's own database it would replace the subscribers the play
// checks ask about; the rebuild it then causes is the rebuild row.
func xcJob(t *testing.T, lines, streams int) backgroundJob {
	srv := testmariadb.Start(t)
	db := srv.Open(t, "xtream_iptvpro")
	xcFixture(t, db, lines, streams)
	dst := storetest.Open(t, storetest.DSN(t))
	return backgroundJob{fmt.Sprintf("XC import, %d lines and %d streams, replacing", lines, streams), func(ctx context.Context, _ int) error {
		rep, err := importxc.Run(ctx, db, dst, importxc.Options{Replace: true})
		if err == nil && rep.Imported["subscribers"] != lines {
			err = fmt.Errorf("XC import: %d subscribers imported, want %d", rep.Imported["subscribers"], lines)
		}
		return err
	}}
}

// xcFixture loads the XC schema of the importxc tests and a panel: one
// server, one category, one bouquet of every stream, one reseller owning
// every line.
func xcFixture(t *testing.T, db *sql.DB, lines, streams int) {
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
	exec(`INSERT INTO stream_categories (id, category_type, category_name, cat_order) VALUES (1, 'live', 'Load', 1)`)
	exec(`INSERT INTO reg_users (id, username, password, email, date_registered, member_group_id, credits, notes, status, default_lang, reseller_dns, owner_id) VALUES
		(1, 'admin', 'x', '', 1500000000, 1, 0, '', 1, '', '', 0), (2, 'reseller', 'x', '', 1500000000, 4, 100, '', 1, '', '', 1)`)
	ids := make([]string, streams)
	for i := range ids {
		ids[i] = fmt.Sprint(1000 + i)
	}
	exec(`INSERT INTO bouquets (id, bouquet_name, bouquet_channels, bouquet_series) VALUES (1, 'All', '[` + strings.Join(ids, ",") + `]', '')`)
	expires := time.Now().AddDate(1, 0, 0).Unix()
	const batch = 500
	for from := 0; from < streams; from += batch {
		var vals []string
		for i := from; i < min(streams, from+batch); i++ {
			vals = append(vals, fmt.Sprintf(`(%d, 1, 1, 'Load stream %d', '["http://src.example/%d.ts"]', '', '', '', '', '', '', '', 0, '', '')`, 1000+i, i, i))
		}
		exec(`INSERT INTO streams (id, type, category_id, stream_display_name, stream_source, stream_icon,
			transcode_attributes, custom_ffmpeg, movie_subtitles, auto_restart, pids_create_channel, cchannel_rsources, added, custom_map, external_push) VALUES ` + strings.Join(vals, ","))
	}
	for from := 0; from < lines; from += batch {
		var vals []string
		for i := from; i < min(lines, from+batch); i++ {
			vals = append(vals, fmt.Sprintf("(%d, 2, 'xcline%d', 'pw-%d', %d, 1, 1, '', '', '[1]', 1, '', '', 0, 1600000000, 1, '')",
				1000+i, i, i, expires))
		}
		exec(`INSERT INTO users (id, member_id, username, password, exp_date, admin_enabled, enabled, admin_notes,
			reseller_notes, bouquet, max_connections, allowed_ips, allowed_ua, is_trial, created_at, created_by, play_token) VALUES ` + strings.Join(vals, ","))
	}
}
