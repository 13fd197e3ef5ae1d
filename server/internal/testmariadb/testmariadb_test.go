package testmariadb_test

import (
	"database/sql"
	"testing"

	"canale/server/internal/testmariadb"
)

func TestServerRoundTrip(t *testing.T) {
	srv := testmariadb.Start(t)

	for _, tt := range []struct {
		name string
		dsn  string
	}{
		{"tcp", srv.DSN("")},
		{"unix socket", srv.SocketDSN("")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db, err := sql.Open("mysql", tt.dsn)
			if err != nil {
				t.Fatalf("open: %v", err)
			}
			defer db.Close()
			if err := db.Ping(); err != nil {
				t.Fatalf("ping %s: %v", tt.dsn, err)
			}
		})
	}

	db := srv.Open(t, "xtream_iptvpro")
	_, err := db.Exec(`CREATE TABLE users (id INT PRIMARY KEY AUTO_INCREMENT, username VARCHAR(50), exp_date INT);
		INSERT INTO users (username, exp_date) VALUES ('alice', 1893456000), ('bob', NULL)`)
	if err != nil {
		t.Fatalf("create and insert: %v", err)
	}
	var (
		name string
		exp  sql.NullInt64
	)
	if err := db.QueryRow(`SELECT username, exp_date FROM users WHERE id = 1`).Scan(&name, &exp); err != nil {
		t.Fatalf("select: %v", err)
	}
	if name != "alice" || exp.Int64 != 1893456000 {
		t.Errorf("row 1 = (%q, %v), want (alice, 1893456000)", name, exp)
	}
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM users WHERE exp_date IS NULL`).Scan(&n); err != nil {
		t.Fatalf("count: %v", err)
	}
	if n != 1 {
		t.Errorf("users without exp_date = %d, want 1", n)
	}
}
