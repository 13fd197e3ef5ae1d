package backup

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"canale/server/internal/pgsql"
	"canale/server/internal/store"
	"canale/shared/api"
)

// Database is what a backup or a restore needs to ask the store.
type Database interface {
	ConnString() string
	FindDatabaseInfo(ctx context.Context) (store.DatabaseInfo, error)
	TableRowCounts(ctx context.Context) (map[string]int64, error)
}

// progressEvery is how often a long table's progress is reported.
const progressEvery = time.Second

var dumpingTable = regexp.MustCompile(`dumping contents of table "([^"]+)"`)

// Dump writes a custom-format dump of Canale's schema to out and returns its
// size. pg_dump reads one snapshot, so the dump is consistent while the
// server keeps serving. The file appears only when complete (it is written
// beside out and renamed), readable by its owner alone: it holds password
// hashes and the streamer secret.
func Dump(ctx context.Context, db Database, out string, progress func(api.BackupProgress)) (int64, error) {
	info, err := db.FindDatabaseInfo(ctx)
	if err != nil {
		return 0, err
	}
	tool, err := pgsql.FindTool(ctx, "pg_dump", info.ServerMajor())
	if err != nil {
		return 0, err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o750); err != nil {
		return 0, fmt.Errorf("create backup directory: %w", err)
	}
	partial := out + ".partial"
	defer os.Remove(partial) // gone after the rename; left behind only by a failure
	// Created private before pg_dump writes to it: pg_dump truncates an
	// existing file and keeps its mode.
	f, err := os.OpenFile(partial, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return 0, fmt.Errorf("create %s: %w", partial, err)
	}
	f.Close()
	conninfo, env := connArgs(db.ConnString())
	cmd := exec.CommandContext(ctx, tool.Path, "--format=custom", "--verbose", "--schema="+info.Schema,
		"--file="+partial, "--dbname="+conninfo)
	cmd.Env = append(os.Environ(), env...)
	p := &reporter{fn: progress, state: api.BackupProgress{TablesTotal: info.Tables}, size: func() int64 { return fileSize(partial) }}
	if err := runReporting(cmd, p, func(line string) bool {
		m := dumpingTable.FindStringSubmatch(line)
		if m != nil {
			p.table(m[1])
		}
		return isChatter("pg_dump", line)
	}); err != nil {
		return 0, fmt.Errorf("pg_dump: %w", err)
	}
	if err := commitFile(partial, out); err != nil {
		return 0, err
	}
	p.finish()
	return fileSize(out), nil
}

// runReporting runs cmd, passing each line of its standard error to onLine
// (which says whether the line was chatter rather than a complaint) and
// reporting progress every second meanwhile. The error names the last
// complaints the program made.
func runReporting(cmd *exec.Cmd, p *reporter, onLine func(string) bool) error {
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	stop := p.tick()
	defer stop()
	complaints := scanComplaints(stderr, onLine)
	if err := cmd.Wait(); err != nil {
		return explain(err, complaints)
	}
	return nil
}

// scanComplaints reads r to the end and keeps the last lines onLine did not
// recognise as chatter.
func scanComplaints(r io.Reader, onLine func(string) bool) []string {
	var kept []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if line := sc.Text(); !onLine(line) {
			kept = append(kept, line)
			if len(kept) > 5 {
				kept = kept[1:]
			}
		}
	}
	return kept
}

// isChatter reports whether a line of prog's standard error is one of its
// --verbose notes rather than an error, warning or their details.
func isChatter(prog, line string) bool {
	rest, ok := strings.CutPrefix(line, prog+": ")
	if !ok {
		return false
	}
	for _, level := range []string{"error:", "warning:", "detail:", "hint:"} {
		if strings.HasPrefix(rest, level) {
			return false
		}
	}
	return true
}

func explain(err error, complaints []string) error {
	if len(complaints) == 0 {
		return err
	}
	return fmt.Errorf("%w: %s", err, strings.Join(complaints, "; "))
}

// commitFile makes partial durable under its final name.
func commitFile(partial, out string) error {
	f, err := os.OpenFile(partial, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("sync %s: %w", partial, err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(partial, out); err != nil {
		return err
	}
	if d, err := os.Open(filepath.Dir(out)); err == nil {
		_ = d.Sync() // the rename survives a crash once the directory is synced
		d.Close()
	}
	return nil
}

func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// reporter sends progress: at each new table and every second meanwhile.
type reporter struct {
	mu    sync.Mutex
	fn    func(api.BackupProgress)
	state api.BackupProgress
	size  func() int64 // bytes written or read so far
}

func (r *reporter) table(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.state.Table != "" {
		r.state.TablesDone++
	}
	r.state.Table = name
	r.sendLocked()
}

func (r *reporter) finish() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.state.TablesDone, r.state.Table = r.state.TablesTotal, ""
	r.sendLocked()
}

func (r *reporter) sendLocked() {
	if r.fn == nil {
		return
	}
	r.state.Bytes = r.size()
	r.fn(r.state)
}

// tick reports every progressEvery until the returned func is called.
func (r *reporter) tick() (stop func()) {
	done, exited := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(exited)
		t := time.NewTicker(progressEvery)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				r.mu.Lock()
				r.sendLocked()
				r.mu.Unlock()
			}
		}
	}()
	return func() { close(done); <-exited }
}

// FileName is the path of a backup started at t in dir, as `canale backup`
// and "Back up now" write it. Retention never deletes these.
func FileName(dir string, t time.Time) string {
	return filepath.Join(dir, "canale-"+stamp(t)+".dump")
}

// scheduledPattern matches the files of the schedule, the only ones
// retention deletes: an operator's backup before an upgrade must outlive
// any number of scheduled runs.
const scheduledPattern = "canale-scheduled-*.dump"

// scheduledFileName is the path of a scheduled backup started at t in dir:
// the names sort by time, which is how retention finds the oldest.
func scheduledFileName(dir string, t time.Time) string {
	return filepath.Join(dir, "canale-scheduled-"+stamp(t)+".dump")
}

func stamp(t time.Time) string { return t.UTC().Format("20060102-150405.000") }

// Dir is the backup directory of a data directory.
func Dir(dataDir string) string { return filepath.Join(dataDir, "backups") }
