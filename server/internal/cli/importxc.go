package cli

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"

	"canale/server/internal/config"
	"canale/server/internal/importxc"
	"canale/shared/api"

	"github.com/go-sql-driver/mysql"
)

// runImportXC imports an Xtream Codes / Xtream UI / XUI.one MySQL database
// into the catalog. It refuses a catalog that has rows unless --replace; the
// import is one transaction, so a failure leaves the database as it was.
func runImportXC(ctx context.Context, args []string, io IO) error {
	fs := flag.NewFlagSet("import xc", flag.ContinueOnError)
	fs.SetOutput(io.Err)
	dsn := fs.String("mysql", "", "XC database, as user:pass@tcp(host:3306)/xtream_iptvpro (required)")
	dryRun := fs.Bool("dry-run", false, "read, convert and check everything, then roll back and only report")
	replace := fs.Bool("replace", false, "delete the existing catalog (channels, packages, subscribers, resellers...) first, in the same transaction")
	workers := fs.Int("workers", 0, "password hashing workers (default: one per CPU)")
	var vodPaths []importxc.VODPath
	fs.Func("vod-path", "DIR=PREFIX: movies and episodes whose source is a file under DIR on the XC servers play from VOD storage PREFIX (repeatable)",
		func(s string) error {
			p, err := importxc.ParseVODPath(s)
			vodPaths = append(vodPaths, p)
			return err
		})
	cfg, err := config.ParseFlags(fs, args, io.Getenv)
	if err != nil {
		return err
	}
	if *dsn == "" {
		return errors.New("import xc: --mysql is required")
	}
	db, err := openMySQL(*dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.PingContext(ctx); err != nil {
		return fmt.Errorf("connect to MySQL: %w", err)
	}
	logger := cfg.Logger(io.Err)
	pg, err := openMigrated(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer pg.Close()
	s := pg.Store
	rep, err := importxc.Run(ctx, db, s, importxc.Options{DryRun: *dryRun, Replace: *replace,
		Workers: *workers, Progress: io.Err, Logger: logger, VODPaths: vodPaths})
	if api.ErrorCode(err) == api.CodeConflict {
		return fmt.Errorf("%w\nnothing was changed; run again with --replace to delete the current catalog and import", err)
	}
	if err != nil {
		return fmt.Errorf("import failed, nothing was changed: %w", err)
	}
	rep.Write(io.Out)
	return nil
}

// openMySQL parses the DSN and makes sure dates decode the way the importer
// expects, whatever the operator passed. The driver's default connection
// collation is utf8mb4, so text arrives as UTF-8.
func openMySQL(dsn string) (*sql.DB, error) {
	c, err := mysql.ParseDSN(dsn)
	if err != nil {
		return nil, fmt.Errorf("--mysql: %w", err)
	}
	c.ParseTime = false // dates are read as text or unix seconds
	conn, err := mysql.NewConnector(c)
	if err != nil {
		return nil, fmt.Errorf("--mysql: %w", err)
	}
	return sql.OpenDB(conn), nil
}
