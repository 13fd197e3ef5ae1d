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
	// DialectMixed is a forked panel holding tables of both (a `lines`
	// table beside `reg_users` and `stream_categories`, say). Each concept
	// is read from the table that holds it, whatever its dialect.
	DialectMixed Dialect = "mixed"
)

// tableNames are the tables read for each concept; "" when the panel has
// none.
type tableNames struct {
	lines, lineOutput, panelUsers, groups, offers, servers, categories string
	series, episodes                                                   string
}

// candidate is one table that may hold a concept, in one dialect, with the
// columns that show it really does: forked panels reuse names (`users` is
// lines in Xtream UI and panel users in XUI.one).
type candidate struct {
	table   string
	dialect Dialect
	needs   []string // every one must exist
	without []string // none may exist
}

// concepts lists, per concept, the tables that may hold it, preferred first
// (spec §2.1). Each concept is detected on its own, because forked panels
// mix the two dialects table by table.
var concepts = []struct {
	name  string
	set   func(*tableNames, string)
	cands []candidate
}{
	{"lines", func(n *tableNames, t string) { n.lines = t }, []candidate{
		{table: "lines", dialect: DialectXUI, needs: []string{"id", "username", "password"}},
		{table: "users", dialect: DialectXC, needs: []string{"id", "username", "password", "exp_date"}},
	}},
	{"panel users", func(n *tableNames, t string) { n.panelUsers = t }, []candidate{
		{table: "reg_users", dialect: DialectXC, needs: []string{"id", "username"}},
		{table: "users", dialect: DialectXUI, needs: []string{"id", "username", "member_group_id"}, without: []string{"exp_date"}},
	}},
	{"line outputs", func(n *tableNames, t string) { n.lineOutput = t }, []candidate{
		{table: "user_output", dialect: DialectXC, needs: []string{"user_id", "access_output_id"}},
	}},
	{"groups", func(n *tableNames, t string) { n.groups = t }, []candidate{
		{table: "member_groups", dialect: DialectXC, needs: []string{"group_id"}},
		{table: "users_groups", dialect: DialectXUI, needs: []string{"group_id"}},
	}},
	{"sale packages", func(n *tableNames, t string) { n.offers = t }, []candidate{
		{table: "packages", dialect: DialectXC, needs: []string{"id", "package_name"}},
		{table: "users_packages", dialect: DialectXUI, needs: []string{"id", "package_name"}},
	}},
	{"servers", func(n *tableNames, t string) { n.servers = t }, []candidate{
		{table: "streaming_servers", dialect: DialectXC, needs: []string{"id", "server_ip"}},
		{table: "servers", dialect: DialectXUI, needs: []string{"id", "server_ip"}},
	}},
	{"categories", func(n *tableNames, t string) { n.categories = t }, []candidate{
		{table: "stream_categories", dialect: DialectXC, needs: []string{"id", "category_name"}},
		{table: "streams_categories", dialect: DialectXUI, needs: []string{"id", "category_name"}},
	}},
	{"series", func(n *tableNames, t string) { n.series = t }, []candidate{
		{table: "series", dialect: DialectXC, needs: []string{"id", "title"}},
		{table: "streams_series", dialect: DialectXUI, needs: []string{"id", "title"}},
	}},
	{"episodes", func(n *tableNames, t string) { n.episodes = t }, []candidate{
		{table: "series_episodes", dialect: DialectXC, needs: []string{"series_id", "season_num", "stream_id"}},
		{table: "streams_episodes", dialect: DialectXUI, needs: []string{"series_id", "season_num", "stream_id"}},
	}},
}

// source reads an XC database inside one read-only REPEATABLE READ
// transaction, so every table comes from the same moment even while the old
// panel keeps running.
type source struct {
	tx       *sql.Tx
	dialect  Dialect
	names    tableNames
	columns  map[string]map[string]bool // table → its columns, lower case
	rowsRead map[string]int             // table → rows read, for the report
	order    []string                   // tables in the order first read
	lookup   map[string]bool            // tables read for other rows' settings
	// repaired counts, per table, text values that were double-encoded
	// UTF-8 and were repaired.
	repaired map[string]int
}

func openSource(ctx context.Context, db *sql.DB, rep *Report) (*source, error) {
	tx, err := db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("begin MySQL snapshot: %w", err)
	}
	src := &source{tx: tx, columns: map[string]map[string]bool{}, rowsRead: map[string]int{}, lookup: map[string]bool{}, repaired: map[string]int{}}
	if err := src.listColumns(ctx); err != nil {
		tx.Rollback()
		return nil, err
	}
	if !src.has("streams") {
		tx.Rollback()
		return nil, errors.New("not an Xtream Codes database: no `streams` table; check the database name in --mysql")
	}
	if err := src.detect(ctx, rep); err != nil {
		tx.Rollback()
		return nil, err
	}
	if src.names.lines == "" {
		tx.Rollback()
		return nil, errors.New("not an Xtream Codes database: found neither `lines` (XUI.one) nor `users` with `exp_date` (Xtream Codes / Xtream UI); check the database name in --mysql")
	}
	return src, nil
}

func (s *source) listColumns(ctx context.Context) error {
	rows, err := s.tx.QueryContext(ctx, `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = DATABASE()`)
	if err != nil {
		return fmt.Errorf("list MySQL tables: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var table, col string
		if err := rows.Scan(&table, &col); err != nil {
			return fmt.Errorf("list MySQL tables: %w", err)
		}
		table = strings.ToLower(table)
		if s.columns[table] == nil {
			s.columns[table] = map[string]bool{}
		}
		s.columns[table][strings.ToLower(col)] = true
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("list MySQL tables: %w", err)
	}
	return nil
}

// detect picks, for each concept, the first candidate table that exists and
// has the columns of that concept. Nothing is dropped in silence: a table
// of a known name that lacks the columns, or a second table holding rows of
// a concept already read from another, is reported as skipped.
func (s *source) detect(ctx context.Context, rep *Report) error {
	used, reported := map[string]bool{}, map[string]bool{}
	dialects := map[Dialect]bool{}
	for _, c := range concepts {
		chosen := ""
		for _, cand := range c.cands {
			if !s.has(cand.table) || used[cand.table] {
				continue
			}
			if missing := s.mismatch(cand); missing != "" {
				if chosen == "" && !reported[cand.table] && !s.claimedElsewhere(cand.table, c.name) {
					reported[cand.table] = true
					n, err := s.count(ctx, cand.table)
					if err != nil {
						return err
					}
					if n > 0 {
						rep.skipTable(cand.table, n, fmt.Sprintf("not read as %s: %s", c.name, missing))
					}
				}
				continue
			}
			if chosen != "" {
				n, err := s.count(ctx, cand.table)
				if err != nil {
					return err
				}
				if n > 0 {
					rep.skipTable(cand.table, n, fmt.Sprintf("%s were read from `%s`; a panel has one table of them", c.name, chosen))
				}
				continue
			}
			chosen = cand.table
			used[cand.table] = true
			dialects[cand.dialect] = true
			c.set(&s.names, cand.table)
		}
	}
	s.lookup[s.names.groups], s.lookup[s.names.lineOutput], s.lookup["streams_types"] = true, true, true
	switch {
	case len(dialects) > 1:
		s.dialect = DialectMixed
	case dialects[DialectXUI]:
		s.dialect = DialectXUI
	default:
		s.dialect = DialectXC
	}
	return nil
}

// mismatch says which expected column cand's table lacks (or has but must
// not), "" when it fits.
func (s *source) mismatch(cand candidate) string {
	cols := s.columns[cand.table]
	for _, n := range cand.needs {
		if !cols[n] {
			return "no column `" + n + "`"
		}
	}
	for _, n := range cand.without {
		if cols[n] {
			return "it has column `" + n + "`"
		}
	}
	return ""
}

// claimedElsewhere reports whether table fits another concept, so its
// mismatch here is no loss (Xtream UI's `users` are lines, not panel users).
func (s *source) claimedElsewhere(table, concept string) bool {
	for _, c := range concepts {
		if c.name == concept {
			continue
		}
		for _, cand := range c.cands {
			if cand.table == table && s.mismatch(cand) == "" {
				return true
			}
		}
	}
	return false
}

func (s *source) close() { s.tx.Rollback() }

// verbatim are the columns read byte for byte: credentials are compared
// with what apps send, whatever their encoding became.
var verbatim = map[string]bool{"username": true, "password": true, "play_token": true, "access_token": true}

// text is a text value as the panel meant it: double-encoded UTF-8 is
// repaired value by value (see repairMojibake), and counted per table.
func (s *source) text(table, col, v string) string {
	if verbatim[col] {
		return v
	}
	fixed, ok := repairMojibake(v)
	if ok {
		s.repaired[table]++
	}
	return fixed
}

// has reports whether the table exists.
func (s *source) has(table string) bool { return s.columns[table] != nil }

// read returns every row of table (none when the table does not exist),
// sorted by idCol so reports and renames are stable.
func (s *source) read(ctx context.Context, table, idCol string) ([]row, error) {
	if table == "" || !s.has(table) {
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
			c = strings.ToLower(c)
			if b, ok := vals[i].([]byte); ok {
				r[c] = s.text(table, c, string(b))
			} else {
				r[c] = vals[i]
			}
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", table, err)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].int(idCol) < out[j].int(idCol) })
	if _, seen := s.rowsRead[table]; !seen {
		s.order = append(s.order, table)
	}
	s.rowsRead[table] += len(out)
	return out, nil
}

// count returns the number of rows of table, 0 when it does not exist.
func (s *source) count(ctx context.Context, table string) (int, error) {
	if table == "" || !s.has(table) {
		return 0, nil
	}
	var n int
	if err := s.tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM `"+table+"`").Scan(&n); err != nil {
		return 0, fmt.Errorf("count %s: %w", table, err)
	}
	return n, nil
}
