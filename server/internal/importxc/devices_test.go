package importxc_test

import (
	"context"
	"strings"
	"testing"

	"canale/server/internal/importxc"
	"canale/server/internal/testmariadb"
)

// TestImportMAGDevices imports the fixture's mag_devices and checks the
// devices in PostgreSQL: attached to their lines, MACs normalized from both
// spellings, ids and lock kept, and the rows that cannot come skipped with
// their reason.
func TestImportMAGDevices(t *testing.T) {
	srv := testmariadb.Start(t)
	x := newXC(t, srv, "xc_mag", 0, 0)
	c := newCanale(t)
	rep := run(t, x, c, importxc.Options{})
	out := reportText(t, rep)

	expectImported(t, rep, map[string]int{"subscribers": 4, "devices": 3})
	var got importxc.TableCount
	for _, tc := range rep.Tables {
		if tc.Table == "mag_devices" {
			got = tc
		}
	}
	if want := (importxc.TableCount{Table: "mag_devices", Read: 7, Imported: 3, Skipped: 4}); got != want {
		t.Errorf("table mag_devices: got %+v, want %+v", got, want)
	}
	for _, s := range rep.SkippedTables {
		if s.Table == "mag_devices" {
			t.Errorf("mag_devices still reported as not imported: %+v", s)
		}
	}
	expectSkips(t, rep, map[string]string{
		"mag_devices 3": "mac 00:1A:79:12:34:56 already taken by mag_devices row 1",
		"mag_devices 4": "line 4 was not imported",
		"mag_devices 5": "line 77 was not imported",
		"mag_devices 6": `mac "not-a-mac" is not a MAC`,
	})
	if !strings.Contains(out, "mag_devices") {
		t.Errorf("report does not count mag_devices:\n%s", out)
	}

	rows := c.value(t, `SELECT string_agg(concat_ws('|', id, subscriber_id, mac, serial, device_id, device_id2, model,
		firmware, locked::text), E'\n' ORDER BY mac) FROM devices`)
	want := strings.Join([]string{
		"7|5|00:1A:79:00:00:07||||MAG424||true",
		"1|1|00:1A:79:12:34:56|SN0001|dev-one|dev-two|MAG254|ImageDescription: 0.2.18-r14|true",
		"2|2|00:1A:79:AB:CD:EF||||MAG250|217|false",
	}, "\n")
	if rows != want {
		t.Errorf("devices:\n%s\nwant:\n%s", rows, want)
	}

	// Devices created later must not collide with the kept mag_ids.
	var next int64
	if err := c.conn.QueryRow(context.Background(),
		`INSERT INTO devices (subscriber_id, mac) VALUES (1, '00:1A:79:00:00:99') RETURNING id`).Scan(&next); err != nil {
		t.Fatal(err)
	}
	if next != 8 {
		t.Errorf("device created after the import got id %d, want 8 (past mag_id 7)", next)
	}
}
