package backup

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"canale/server/internal/pgsql"
	"canale/shared/api"
)

// RestoreDatabase is what a restore needs of the store: Database, and the
// migrations to run and the reload to announce once the data is back.
type RestoreDatabase interface {
	Database
	Migrate(ctx context.Context) ([]string, error)
	AnnounceReset(ctx context.Context) error
	EndSessions(ctx context.Context, applicationName string) error
}

// RestoreOptions are the choices of a restore.
type RestoreOptions struct {
	// Replace allows overwriting a database that holds data.
	Replace  bool
	Progress func(api.BackupProgress)
}

// bookkeeping are the tables a fresh install fills by itself; rows there do
// not make it "not empty".
var bookkeeping = map[string]bool{"schema_migrations": true, "settings": true}

// Restore replaces the contents of Canale's schema with the dump in file,
// in one transaction, then runs the migrations the dump predates and tells
// running instances to reload. It returns the migrations it applied. It
// refuses (CodeConflict) a database holding data unless opts.Replace, and
// (CodeInvalid) a file that is not a complete Canale dump, changing nothing.
func Restore(ctx context.Context, db RestoreDatabase, file string, opts RestoreOptions) ([]string, error) {
	info, err := db.FindDatabaseInfo(ctx)
	if err != nil {
		return nil, err
	}
	toc, err := readTOC(ctx, file, info.ServerMajor())
	if err != nil {
		return nil, err
	}
	if toc.schema != info.Schema {
		return nil, api.Errorf(api.CodeInvalid, "%s holds schema %q, but Canale's schema here is %q", file, toc.schema, info.Schema)
	}
	if err := checkEmpty(ctx, db, opts.Replace); err != nil {
		return nil, err
	}
	if err := replay(ctx, db, file, toc, max(info.ServerMajor(), toc.dumpMajor), opts.Progress); err != nil {
		return nil, err
	}
	applied, err := db.Migrate(ctx)
	if err != nil {
		return applied, fmt.Errorf("migrate the restored database: %w", err)
	}
	return applied, db.AnnounceReset(ctx)
}

func checkEmpty(ctx context.Context, db Database, replace bool) error {
	counts, err := db.TableRowCounts(ctx)
	if err != nil {
		return err
	}
	var held []string
	for table, n := range counts {
		if n > 0 && !bookkeeping[table] {
			held = append(held, fmt.Sprintf("%s: %d", table, n))
		}
	}
	sort.Strings(held)
	if len(held) > 0 && !replace {
		return api.Errorf(api.CodeConflict, "the database is not empty (%s); restore with --replace to overwrite it",
			strings.Join(firstN(held, 5), ", "))
	}
	return nil
}

func firstN(s []string, n int) []string {
	if len(s) > n {
		return append(s[:n:n], "…")
	}
	return s
}

// sessionTables hold sign-ins: staff and reseller bearer tokens and portal
// sessions. A restore brings none of their rows back: a token or session
// revoked after the backup was made would otherwise work again until it
// expired. Everyone signs in again after a restore.
var sessionTables = []string{"admin_tokens", "reseller_tokens", "portal_sessions"}

// toc is what a dump's table of contents says.
type toc struct {
	list       string // the entries to restore, for pg_restore --use-list
	schema     string // where the dump's schema_migrations table lives
	dumpMajor  int    // major version of the pg_dump that wrote it
	dataTables int
}

var (
	tocDumpedBy   = regexp.MustCompile(`(?m)^;\s+Dumped by pg_dump version: (\d+)`)
	tocMigrations = regexp.MustCompile(`(?m)^\d+; \d+ \d+ TABLE (\S+) schema_migrations `)
)

// readTOC lists the dump with pg_restore and keeps every entry but the
// schema itself, which exists already (and may belong to another role), and
// the rows of sessionTables. The restore creates those tables anew inside
// its transaction, so they end up empty whatever the dump holds.
func readTOC(ctx context.Context, file string, serverMajor int) (toc, error) {
	if _, err := os.Stat(file); err != nil {
		return toc{}, api.Errorf(api.CodeInvalid, "backup file: %v", err)
	}
	tool, err := pgsql.FindTool(ctx, "pg_restore", serverMajor)
	if err != nil {
		return toc{}, err
	}
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, tool.Path, "--list", file)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return toc{}, api.Errorf(api.CodeInvalid, "%s is not a readable backup: %s", file, strings.TrimSpace(stderr.String()))
	}
	m := tocMigrations.FindSubmatch(out)
	if m == nil {
		return toc{}, api.Errorf(api.CodeInvalid, "%s is not a Canale backup: it has no schema_migrations table", file)
	}
	t := toc{schema: string(m[1]), dumpMajor: serverMajor}
	if v := tocDumpedBy.FindSubmatch(out); v != nil {
		t.dumpMajor, _ = strconv.Atoi(string(v[1]))
	}
	var kept []string
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasSuffix(line, " SCHEMA - "+t.schema) || strings.Contains(line, " SCHEMA - "+t.schema+" ") ||
			strings.Contains(line, " COMMENT - SCHEMA "+t.schema+" ") {
			continue
		}
		if isSessionData(line, t.schema) {
			continue
		}
		if strings.Contains(line, " TABLE DATA ") {
			t.dataTables++
		}
		kept = append(kept, line)
	}
	t.list = strings.Join(kept, "\n")
	return t, nil
}

// isSessionData reports whether a table of contents line is the rows of one
// of sessionTables, e.g. "3412; 0 16421 TABLE DATA canale admin_tokens canale".
func isSessionData(line, schema string) bool {
	for _, table := range sessionTables {
		if strings.Contains(line, " TABLE DATA "+schema+" "+table+" ") {
			return true
		}
	}
	return false
}

// dropSchemaContents empties Canale's schema inside the restore's
// transaction: tables (with their indexes, triggers and sequences), views,
// functions and types, but nothing an extension owns. Each list is made
// before its drops, so a cascade cannot leave a name dangling.
const dropSchemaContents = `SET client_min_messages = warning;
DO $canale$
DECLARE
    s oid := current_schema()::regnamespace;
    q text;
BEGIN
    FOREACH q IN ARRAY (SELECT coalesce(array_agg(format('DROP %s IF EXISTS %I.%I CASCADE',
            CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE'
                           WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, current_schema(), c.relname)
            ORDER BY c.relkind = 'S'), '{}')
        FROM pg_class c WHERE c.relnamespace = s AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
         AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'))
    LOOP EXECUTE q; END LOOP;
    FOREACH q IN ARRAY (SELECT coalesce(array_agg(format('DROP %s IF EXISTS %I.%I(%s) CASCADE',
            CASE p.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END,
            current_schema(), p.proname, pg_get_function_identity_arguments(p.oid))), '{}')
        FROM pg_proc p WHERE p.pronamespace = s AND p.prokind IN ('f', 'p', 'a')
         AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'))
    LOOP EXECUTE q; END LOOP;
    FOREACH q IN ARRAY (SELECT coalesce(array_agg(format('DROP %s IF EXISTS %I.%I CASCADE',
            CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, current_schema(), t.typname)), '{}')
        FROM pg_type t WHERE t.typnamespace = s AND t.typtype IN ('e', 'd', 'r', 'c')
         AND (t.typtype <> 'c' OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
         AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e'))
    LOOP EXECUTE q; END LOOP;
END $canale$;
`

var copyLine = regexp.MustCompile(`^COPY (\S+) `)

// replay pipes pg_restore's SQL into one psql transaction that first empties
// the schema. psql commits only at the end of its input, and its input ends
// only after pg_restore has read the whole file and exited 0; otherwise psql
// is killed, and replay returns once PostgreSQL has ended its session and
// so rolled everything back.
func replay(ctx context.Context, db RestoreDatabase, file string, t toc, major int, progress func(api.BackupProgress)) error {
	restoreTool, err := pgsql.FindTool(ctx, "pg_restore", major)
	if err != nil {
		return err
	}
	psqlTool, err := pgsql.FindTool(ctx, "psql", restoreTool.Major)
	if err != nil {
		return err
	}
	listFile, err := os.CreateTemp("", "canale-restore-*.list")
	if err != nil {
		return err
	}
	defer os.Remove(listFile.Name())
	if _, err := listFile.WriteString(t.list); err != nil {
		listFile.Close()
		return err
	}
	listFile.Close()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	conninfo, env := connArgs(db.ConnString())
	appName := "canale-restore-" + strconv.Itoa(os.Getpid()) + "-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	env = append(env, "PGAPPNAME="+appName)
	psql := exec.CommandContext(ctx, psqlTool.Path, "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction",
		"-d", conninfo, "-f", "-")
	psql.Env = append(os.Environ(), env...)
	var psqlErr bytes.Buffer
	psql.Stdout, psql.Stderr = io.Discard, &psqlErr
	sqlIn, err := psql.StdinPipe()
	if err != nil {
		return err
	}
	restore := exec.CommandContext(ctx, restoreTool.Path, "--no-owner", "--no-privileges", "--use-list="+listFile.Name(),
		"--file=-", file)
	var restoreErr bytes.Buffer
	restore.Stderr = &restoreErr
	sqlOut, err := restore.StdoutPipe()
	if err != nil {
		return err
	}
	if err := psql.Start(); err != nil {
		return fmt.Errorf("psql: %w", err)
	}
	if err := restore.Start(); err != nil {
		cancel()
		_ = psql.Wait()
		return errors.Join(fmt.Errorf("pg_restore: %w", err), endSession(db, appName))
	}
	var sent int64
	p := &reporter{fn: progress, state: api.BackupProgress{TablesTotal: t.dataTables}, size: func() int64 { return sent }}
	stop := p.tick()
	copyErr := feed(sqlIn, sqlOut, &sent, p) // drains pg_restore even when psql has quit
	stop()
	readErr := restore.Wait()
	if readErr != nil || copyErr != nil {
		cancel() // kill psql before its input ends: the transaction rolls back
		_ = psql.Wait()
		if err := endSession(db, appName); err != nil {
			return err
		}
		if readErr != nil {
			return api.Errorf(api.CodeInvalid, "%s cannot be read to the end, nothing changed: %s", file,
				strings.TrimSpace(restoreErr.String()))
		}
		return fmt.Errorf("restore failed, nothing changed: %w: %s", copyErr, strings.TrimSpace(psqlErr.String()))
	}
	if err := sqlIn.Close(); err != nil {
		return err
	}
	if err := psql.Wait(); err != nil {
		return fmt.Errorf("restore failed, nothing changed: %w: %s", err, strings.TrimSpace(psqlErr.String()))
	}
	p.finish()
	return nil
}

// endSession waits, a minute at most, for the killed psql's session to end.
func endSession(db RestoreDatabase, appName string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := db.EndSessions(ctx, appName); err != nil {
		return fmt.Errorf("end the failed restore's session: %w", err)
	}
	return nil
}

// feed writes the prelude and then pg_restore's SQL to psql, line by line,
// noting each table whose rows begin.
func feed(to io.Writer, from io.Reader, sent *int64, p *reporter) error {
	if _, err := io.WriteString(to, dropSchemaContents); err != nil {
		return err
	}
	r := bufio.NewReaderSize(from, 1<<16)
	inCopy := false
	for {
		line, err := r.ReadBytes('\n')
		switch m := copyLine.FindSubmatch(line); {
		case inCopy:
			inCopy = string(line) != "\\.\n"
		case m != nil:
			p.table(string(m[1]))
			inCopy = true
		}
		if len(line) > 0 {
			if _, werr := to.Write(line); werr != nil {
				_, _ = io.Copy(io.Discard, r)
				return werr
			}
			p.mu.Lock()
			*sent += int64(len(line))
			p.mu.Unlock()
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
