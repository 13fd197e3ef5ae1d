package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"canale/server/internal/backup"
	"canale/server/internal/config"
	"canale/shared/api"
)

// runBackup dumps the database to a file while the server keeps running,
// showing progress, and records the run so the desktop shows it.
func runBackup(ctx context.Context, args []string, cio IO) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(cio.Err)
	out := fs.String("out", "", "file to write (default: a new file in the data directory's backups/)")
	cfg, err := config.ParseFlags(fs, args, cio.Getenv)
	if err != nil {
		return err
	}
	started := time.Now()
	if *out == "" {
		*out = backup.FileName(backup.Dir(cfg.DataDir), started)
	}
	file, err := filepath.Abs(*out)
	if err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	d, err := openMigrated(ctx, cfg, cfg.Logger(cio.Err))
	if err != nil {
		return err
	}
	defer d.Close()
	s := d.Store
	run, err := s.CreateBackup(ctx, api.SystemActor("canale backup"), api.BackupCommand, file)
	if err != nil {
		return err
	}
	line := &progressLine{w: cio.Err}
	size, dumpErr := backup.Dump(ctx, s, file, backupProgress(line, "backing up"))
	line.end()
	if _, err := s.FinishBackup(context.WithoutCancel(ctx), run.ID, size, dumpErr); err != nil {
		return errors.Join(dumpErr, err)
	}
	if dumpErr != nil {
		return dumpErr
	}
	fmt.Fprintf(cio.Out, "backup written: %s (%.1f MB in %.1f s)\n", file, float64(size)/(1<<20), time.Since(started).Seconds())
	return nil
}

// runRestore loads a backup into an empty install (any with --replace) and
// migrates it to this version's schema. A server running meanwhile waits for
// the restore's transaction and then reloads everything.
func runRestore(ctx context.Context, args []string, cio IO) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(cio.Err)
	replace := fs.Bool("replace", false, "overwrite a database that holds data")
	file, rest := splitFileArg(args)
	cfg, err := config.ParseFlags(fs, rest, cio.Getenv)
	if err != nil {
		return err
	}
	if file == "" {
		return errors.New("FILE: name the backup file to restore (canale restore FILE)")
	}
	d, err := openDatabase(ctx, cfg, cfg.Logger(cio.Err))
	if err != nil {
		return err
	}
	defer d.Close()
	s := d.Store
	started := time.Now()
	line := &progressLine{w: cio.Err}
	applied, err := backup.Restore(ctx, s, file, backup.RestoreOptions{Replace: *replace, Progress: backupProgress(line, "restoring")})
	line.end()
	if err != nil {
		return err
	}
	fmt.Fprintf(cio.Out, "restored %s in %.1f s", file, time.Since(started).Seconds())
	if len(applied) > 0 {
		fmt.Fprintf(cio.Out, "; migrated it forward: %s", strings.Join(applied, ", "))
	}
	fmt.Fprintln(cio.Out)
	return nil
}

// splitFileArg takes the backup file from the first argument, or else the
// last, and leaves the flags.
func splitFileArg(args []string) (file string, flags []string) {
	switch {
	case len(args) == 0:
		return "", nil
	case !strings.HasPrefix(args[0], "-"):
		return args[0], args[1:]
	case !strings.HasPrefix(args[len(args)-1], "-"):
		return args[len(args)-1], args[:len(args)-1]
	}
	return "", args
}

// backupProgress returns a progress callback that shows a backup's or a
// restore's progress on line.
func backupProgress(line *progressLine, verb string) func(api.BackupProgress) {
	return func(p api.BackupProgress) {
		table := ""
		if p.Table != "" {
			table = " (" + p.Table + ")"
		}
		line.printf("%s: %d of %d tables, %.1f MB%s", verb, p.TablesDone, p.TablesTotal, float64(p.Bytes)/(1<<20), table)
	}
}
