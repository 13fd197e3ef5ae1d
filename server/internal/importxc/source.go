package importxc

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Dialect names the panel family whose schema was found.
type Dialect string

const (
	// DialectXC is Xtream Codes / Xtream UI (`users` are lines,
	// `reg_users` are panel users).
	DialectXC Dialect = "xc"
	// DialectXUI is XUI.one (`lines` are lines, `users` are panel users).
	DialectXUI Dialect = "xui"
)

// tableNames are the tables read for each concept, per dialect (spec §2.1).
type tableNames struct {
	lines, lineOutput, panelUsers, groups, offers, servers, categories string
}

var dialectTables = map[Dialect]tableNames{
	DialectXC: {lines: "users", lineOutput: "user_output", panelUsers: "reg_users", groups: "member_groups",
		offers: "packages", servers: "streaming_servers", categories: "stream_categories"},
	DialectXUI: {lines: "lines", panelUsers: "users", groups: "users_groups",
		offers: "users_packages", servers: "servers", categories: "streams_categories"},
}

// source reads an XC database inside one read-only REPEATABLE READ
// transaction, so every table comes from the same moment even while the old
// panel keeps running.
type source struct {
	tx      *sql.Tx
	dialect Dialect
	names   tableNames
	tables  map[string]bool
}

func openSource(ctx context.Context, db *sql.DB) (*source, error) {
	tx, err := db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("begin MySQL snapshot: %w", err)
	}
	src := &source{tx: tx, tables: map[string]bool{}}
	rows, err := tx.QueryContext(ctx, `SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()`)
	if err != nil {
		tx.Rollback()
		return nil, fmt.Errorf("list MySQL tables: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			tx.Rollback()
			return nil, fmt.Errorf("list MySQL tables: %w", err)
		}
		src.tables[strings.ToLower(name)] = true
	}
	if err := rows.Err(); err != nil {
		tx.Rollback()
		return nil, fmt.Errorf("list MySQL tables: %w", err)
	}
	switch {
	case src.tables["lines"]:
		src.dialect = DialectXUI
	case src.tables["users"] && (src.tables["user_output"] || src.tables["reg_users"]):
		src.dialect = DialectXC
	default:
		tx.Rollback()
		return nil, errors.New("not an Xtream Codes database: found neither `lines` (XUI.one) nor `users` with `user_output` (Xtream Codes / Xtream UI); check the database name in --mysql")
	}
	src.names = dialectTables[src.dialect]
	if !src.tables["streams"] {
		tx.Rollback()
		return nil, errors.New("not an Xtream Codes database: no `streams` table")
	}
	return src, nil
}

func (s *source) close() { s.tx.Rollback() }

// has reports whether the table exists.
func (s *source) has(table string) bool { return s.tables[table] }

// read returns every row of table (none when the table does not exist),
// sorted by idCol so reports and renames are stable.
func (s *source) read(ctx context.Context, table, idCol string) ([]row, error) {
	if !s.has(table) {
		return nil, nil
	}
	rows, err := s.tx.QueryContext(ctx, "SELECT * FROM `"+table+"`")
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", table, err)
	}
	var out []row
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("read %s: %w", table, err)
		}
		r := make(row, len(cols))
		for i, c := range cols {
			if b, ok := vals[i].([]byte); ok {
				r[strings.ToLower(c)] = string(b)
			} else {
				r[strings.ToLower(c)] = vals[i]
			}
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", table, err)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].int(idCol) < out[j].int(idCol) })
	return out, nil
}

// count returns the number of rows of table, 0 when it does not exist.
func (s *source) count(ctx context.Context, table string) (int, error) {
	if !s.has(table) {
		return 0, nil
	}
	var n int
	if err := s.tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM `"+table+"`").Scan(&n); err != nil {
		return 0, fmt.Errorf("count %s: %w", table, err)
	}
	return n, nil
}
