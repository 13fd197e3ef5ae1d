package importxc_test

import (
	"context"
	"strings"
	"testing"

	"canale/server/internal/importxc"
	"canale/server/internal/testmariadb"
)

// e2Schema is XC's and XUI's enigma2_devices, with the columns the spec
// lists for a migration (enigma2.md §6).
const e2Schema = `CREATE TABLE enigma2_devices (
	device_id int(11) NOT NULL AUTO_INCREMENT PRIMARY KEY, mac varchar(255) NOT NULL, user_id int(11) NOT NULL,
	modem_mac varchar(255) DEFAULT NULL, local_ip varchar(255) DEFAULT NULL, public_ip varchar(255) DEFAULT NULL,
	enigma_version varchar(255) DEFAULT NULL, cpu varchar(255) DEFAULT NULL, version varchar(255) DEFAULT NULL,
	lversion mediumtext, token varchar(32) DEFAULT NULL, last_updated int(11) DEFAULT NULL,
	lock_device tinyint(4) NOT NULL DEFAULT 0)`

// tableCount is the report's count of one source table.
func tableCount(rep *importxc.Report, table string) importxc.TableCount {
	for _, tc := range rep.Tables {
		if tc.Table == table {
			return tc
		}
	}
	return importxc.TableCount{}
}

// TestImportEPGAndEnigma2 imports the panel's XMLTV sources as EPG sources
// (skipping what Canale already has or cannot fetch, with the reason) and
// its Enigma2 boxes onto their lines, in both dialects, dry run included.
func TestImportEPGAndEnigma2(t *testing.T) {
	srv := testmariadb.Start(t)

	t.Run("xc", func(t *testing.T) {
		x := newXC(t, srv, "xc_epg", 0, 0)
		x.exec(t, `INSERT INTO epg (id, epg_name, epg_file, days_keep) VALUES
			(2, 'second', 'http:\\/\\/epg2.example\\/guide.xml', 3), (3, 'ftp one', 'ftp://epg.example/g.xml', 7),
			(4, 'MAIN', 'http://epg.example/other.xml', 7)`)
		x.exec(t, `UPDATE streams SET epg_id = 1 WHERE id = 10`)
		x.exec(t, `UPDATE streams SET epg_id = 3 WHERE id = 11`)
		x.exec(t, e2Schema)
		x.exec(t, `INSERT INTO enigma2_devices (device_id, mac, user_id, modem_mac, local_ip, enigma_version, cpu, lversion, token, lock_device) VALUES
			(1, '00:1d:ec:00:00:01', 2, '00:1D:EC:AA:BB:CC', '192.168.1.5', 'OpenATV 7.3', 'armv7l', 'TGludXg=', 'ABCDEF', 1),
			(2, '00-1D-EC-00-00-01', 1, '', '', '', '', '', '', 0),
			(3, '00:1D:EC:00:00:03', 4, '', '', '', '', '', '', 0),
			(4, 'junk', 1, '', '', '', '', '', '', 0)`)
		c := newCanale(t)
		if _, err := c.conn.Exec(context.Background(), `INSERT INTO epg_sources (name, url) VALUES ('Other', 'http://epg2.example/guide.xml')`); err != nil {
			t.Fatal(err)
		}
		before := c.fingerprint(t)
		dry := run(t, x, c, importxc.Options{DryRun: true})
		diffFingerprints(t, before, c.fingerprint(t))
		rep := run(t, x, c, importxc.Options{})
		out := reportText(t, rep)
		for _, r := range []*importxc.Report{dry, rep} {
			expectImported(t, r, map[string]int{"epg_sources": 1, "e2_devices": 1})
			expectSkips(t, r, map[string]string{
				"epg 2":             "Canale EPG source 1 already fetches http://epg2.example/guide.xml",
				"epg 3":             "url: must be an http or https URL",
				"epg 4":             `name "MAIN" already taken by epg row 1`,
				"enigma2_devices 2": "mac 00:1D:EC:00:00:01 already taken by enigma2_devices row 1",
				"enigma2_devices 3": "line 4 was not imported",
				"enigma2_devices 4": `mac "junk" is not a MAC`,
			})
			if got, want := tableCount(r, "enigma2_devices"), (importxc.TableCount{Table: "enigma2_devices", Read: 4, Imported: 1, Skipped: 3}); got != want {
				t.Errorf("table enigma2_devices: %+v, want %+v", got, want)
			}
		}
		for _, s := range rep.SkippedTables {
			if s.Table == "epg" || s.Table == "enigma2_devices" {
				t.Errorf("%s still reported as a table not imported: %+v", s.Table, s)
			}
		}
		for _, want := range []string{"1 channels took their guide from an XC EPG source that was not imported",
			"1 Enigma2 boxes (enigma2_devices) are kept in their line's attributes.e2_devices"} {
			if !strings.Contains(out, want) {
				t.Errorf("report lacks %q", want)
			}
		}
		c.expect(t, map[string]string{
			"SELECT string_agg(concat_ws('|', name, url, enabled, interval_hours, days_keep), ',' ORDER BY id) FROM epg_sources": "Other|http://epg2.example/guide.xml|t|24|7,main|http://epg.example/xmltv.xml.gz|t|24|7",
			"SELECT epg_channel_id FROM channels WHERE id = 10":                                                                  "premiere.fr",
			"SELECT attributes->'e2_devices' FROM subscribers WHERE id = 2":                                                      `[{"cpu": "armv7l", "mac": "00:1D:EC:00:00:01", "locked": true, "local_ip": "192.168.1.5", "lversion": "TGludXg=", "modem_mac": "00:1D:EC:AA:BB:CC", "enigma_version": "OpenATV 7.3"}]`,
			// An Enigma2 MAC must not become a Stalker portal sign-in.
			"SELECT count(*) FROM devices WHERE mac LIKE '00:1D:EC%'": "0",
		})
		var next int64
		if err := c.conn.QueryRow(context.Background(), `INSERT INTO epg_sources (name, url) VALUES ('later', 'http://later.example/')
			RETURNING id`).Scan(&next); err != nil || next != 3 {
			t.Errorf("EPG source created after the import: id %d (%v), want 3, past the imported one", next, err)
		}
	})

	t.Run("xui", func(t *testing.T) {
		x := newXUI(t, srv, "xui_epg")
		x.exec(t, `CREATE TABLE epg (id int(11) NOT NULL AUTO_INCREMENT PRIMARY KEY, epg_name varchar(255) NOT NULL,
			epg_file varchar(300) NOT NULL, days_keep int(11) NOT NULL DEFAULT 7, last_updated int(11) DEFAULT NULL, `+"`offset`"+` int(11) DEFAULT 0)`)
		x.exec(t, `INSERT INTO epg (id, epg_name, epg_file, days_keep) VALUES (5, 'XUI Guide', 'https:\\/\\/guide.example\\/uk.xml.gz', 14)`)
		x.exec(t, e2Schema)
		x.exec(t, `INSERT INTO enigma2_devices (device_id, mac, user_id, lock_device) VALUES (9, 'MDA6MUQ6RUM6MDA6MDA6MDk=', 500, 0)`)
		c := newCanale(t)
		rep := run(t, x, c, importxc.Options{})
		expectImported(t, rep, map[string]int{"epg_sources": 1, "e2_devices": 1})
		c.expect(t, map[string]string{
			"SELECT concat_ws('|', name, url, days_keep) FROM epg_sources":    "XUI Guide|https://guide.example/uk.xml.gz|14",
			"SELECT attributes->'e2_devices' FROM subscribers WHERE id = 500": `[{"mac": "00:1D:EC:00:00:09", "locked": false}]`,
			"SELECT epg_channel_id FROM channels WHERE id = 101":              "news24.uk",
		})
	})
}

// TestFailedImportAtEPGLeavesDatabaseUnchanged kills the MySQL connection
// as the last phase (EPG sources, after offers, rules, lines, devices and
// Enigma2 boxes were loaded) starts: nothing of it may remain, sequences
// included.
func TestFailedImportAtEPGLeavesDatabaseUnchanged(t *testing.T) {
	srv := testmariadb.Start(t)
	first := newXC(t, srv, "first_epg", 3, 3)
	c := newCanale(t)
	run(t, first, c, importxc.Options{})
	before := c.fingerprint(t)

	second := newXC(t, srv, "second_epg", 5, 5)
	second.exec(t, e2Schema)
	second.exec(t, `INSERT INTO enigma2_devices (device_id, mac, user_id) VALUES (1, '00:1D:EC:00:00:01', 1)`)
	second.exec(t, `INSERT INTO epg (id, epg_name, epg_file) VALUES (2, 'second', 'http://epg2.example/guide.xml')`)
	_, err := importKilledAt(t, second, c, "epg")
	if err == nil || !strings.Contains(err.Error(), "epg") {
		t.Fatalf("import with the MySQL connection killed at the epg phase: err = %v, want a failure there", err)
	}
	diffFingerprints(t, before, c.fingerprint(t))
}
