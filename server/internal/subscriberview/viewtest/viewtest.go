// Package viewtest seeds the catalog tables with a small line-up for tests of
// the subscriber-facing surfaces, until the admin API that writes them exists
// on every branch.
package viewtest

import (
	"log/slog"
	"strings"
	"testing"

	"canale/server/internal/catalog"
	"canale/server/internal/credential"
	"canale/server/internal/store"
	"canale/server/internal/store/storetest"
	"canale/server/internal/subscriberview"
)

// Password is the password of every seeded subscriber.
const Password = "viewer-password-1"

// Fixture names the seeded rows.
type Fixture struct {
	// Alice (id 1, token "tok-alice") holds package "Basic" with channels
	// ch1 (News, dvr 3 days) and ch2 (Sport), and VOD item 1 "Film".
	// Bob (id 2, token "tok-bob") holds nothing but sees free channel ch4.
	// Carol (id 3) is disabled; Dave (id 4) expired in 2020.
	Alice, Bob, Carol, Dave string
}

// Seed inserts the fixture into the database at dsn.
func Seed(tb testing.TB, dsn string) Fixture {
	tb.Helper()
	hash, err := credential.HashPassword(Password)
	if err != nil {
		tb.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO categories (id, kind, name, position) VALUES (1, 'live', 'News', 1), (2, 'live', 'Sport', 2),
			(3, 'vod', 'Movies', 1), (4, 'live', 'Empty', 3)`,
		`INSERT INTO channels (id, name, title, category_id, number, epg_channel_id, dvr_days, logo_url, free, enabled, created_at) VALUES
			(1, 'ch1', 'Channel One', 1, 1, 'one.example', 3, 'https://logos.example/1.png', false, true, '2024-01-02T03:04:05Z'),
			(2, 'ch2', 'Channel Two', 2, 2, '', 0, '', false, true, '2024-01-02T03:04:05Z'),
			(3, 'ch3', 'Disabled', 1, 3, '', 0, '', false, false, '2024-01-02T03:04:05Z'),
			(4, 'ch4', 'Free Four', NULL, 4, '', 0, '', true, true, '2024-01-02T03:04:05Z')`,
		`INSERT INTO vod (id, title, stream_name, container, category_id, description, duration_s, year, rating, created_at)
			VALUES (1, 'Film', 'film1', 'mp4', 3, 'A film.', 5400, 2001, 7.5, '2024-01-02T03:04:05Z')`,
		`INSERT INTO packages (id, name, price, currency) VALUES (1, 'Basic', 9.90, 'EUR')`,
		`INSERT INTO package_channels (package_id, channel_id) VALUES (1, 1), (1, 2), (1, 3)`,
		`INSERT INTO package_vod (package_id, vod_id) VALUES (1, 1)`,
		// Subscribers and alice's package in one statement, so in one
		// transaction, as Canale creates them: a package added later by
		// another transaction would bump her version (migration 011).
		`WITH s AS (INSERT INTO subscribers (id, login, password_hash, name, token, status, expires_at, balance, payment_info, created_at) VALUES
			(1, 'alice', $1, 'Alice A', 'tok-alice', 'active', NULL, 12.50, 'Pay by bank transfer to IBAN X.', '2024-01-01T00:00:00Z'),
			(2, 'bob', $1, 'Bob B', 'tok-bob', 'active', NULL, 0, '', '2024-01-01T00:00:00Z'),
			(3, 'carol', $1, 'Carol C', 'tok-carol', 'disabled', NULL, 0, '', '2024-01-01T00:00:00Z'),
			(4, 'dave', $1, 'Dave D', 'tok-dave', 'active', '2020-01-01T00:00:00Z', 0, '', '2024-01-01T00:00:00Z')
			RETURNING id, login)
		INSERT INTO subscriber_packages (subscriber_id, package_id) SELECT id, 1 FROM s WHERE login = 'alice'`,
		`SELECT setval(pg_get_serial_sequence(t, 'id'), 100) FROM unnest(array['categories','channels','vod','packages','subscribers']) t`,
	} {
		if strings.Contains(q, "$1") {
			storetest.Exec(tb, dsn, q, hash)
			continue
		}
		storetest.Exec(tb, dsn, q)
	}
	return Fixture{Alice: "alice", Bob: "bob", Carol: "carol", Dave: "dave"}
}

// Directory loads the read model from s and returns the catalog-backed
// directory the app wires, with the catalog so a test that changes rows
// behind its back can Load it again.
func Directory(tb testing.TB, s *store.Store) (*subscriberview.CatalogDirectory, *catalog.Catalog) {
	tb.Helper()
	cat := catalog.New(s, slog.New(slog.DiscardHandler), catalog.Options{})
	if err := cat.Load(tb.Context()); err != nil {
		tb.Fatalf("load catalog: %v", err)
	}
	return subscriberview.NewCatalogDirectory(cat, s), cat
}
