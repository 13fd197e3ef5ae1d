package cli

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"

	"canale/server/internal/config"
	"canale/server/internal/pgsql"
	"canale/server/internal/store"
)

// database is an open store and, on the embedded default, the cluster this
// process started for it.
type database struct {
	*store.Store
	cluster         *pgsql.Cluster // nil on CANALE_DATABASE_URL or a cluster another process runs
	stopSupervision func()
}

// Close stops supervising, closes the store and stops a cluster this process
// started.
func (d *database) Close() {
	if d.stopSupervision != nil {
		d.stopSupervision()
	}
	d.Store.Close()
	if d.cluster != nil {
		d.cluster.Stop()
	}
}

// supervise keeps the embedded cluster of this process running (see
// pgsql.Cluster.Supervise) until Close; the channel receives the error when
// it cannot be brought back. Without such a cluster it never receives.
func (d *database) supervise(ctx context.Context, w pgsql.Watch) <-chan error {
	failed := make(chan error, 1)
	if d.cluster == nil {
		return failed
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := d.cluster.Supervise(ctx, w); err != nil {
			failed <- err
		}
	}()
	d.stopSupervision = func() { cancel(); <-done }
	return failed
}

// openDatabase connects to CANALE_DATABASE_URL or, without one, to the
// embedded cluster in the data directory: the running server's when one is
// up, else one started for this process. On the embedded cluster it connects
// as the unprivileged canale role (store.PrepareAppDatabase), except on a
// cluster made before that role existed.
func openDatabase(ctx context.Context, cfg config.Config, logger *slog.Logger) (*database, error) {
	if cfg.DatabaseURL != "" {
		s, err := store.Open(ctx, cfg.DatabaseURL, logger)
		if err != nil {
			return nil, fmt.Errorf("connect to CANALE_DATABASE_URL: %w", err)
		}
		if cfg.ListenDatabaseURL != "" {
			if err := s.ListenOn(cfg.ListenDatabaseURL); err != nil {
				s.Close()
				return nil, fmt.Errorf("CANALE_LISTEN_DATABASE_URL: %w", err)
			}
		}
		return &database{Store: s}, nil
	}
	cluster := &pgsql.Cluster{Dir: filepath.Join(cfg.DataDir, "postgresql"), Logger: logger}
	owned, err := cluster.Start(ctx)
	if err != nil {
		return nil, fmt.Errorf("embedded PostgreSQL: %w", err)
	}
	d := &database{}
	if owned {
		d.cluster = cluster
		logger.Info("embedded PostgreSQL started", "dir", cluster.Dir)
	} else {
		logger.Info("using the embedded PostgreSQL already running", "dir", cluster.Dir)
	}
	d.Store, err = openEmbedded(ctx, cluster, logger)
	if err != nil {
		if owned {
			cluster.Stop()
		}
		return nil, fmt.Errorf("connect to embedded PostgreSQL: %w", err)
	}
	return d, nil
}

// openEmbedded opens the store on the embedded cluster as the role its layout
// calls for.
func openEmbedded(ctx context.Context, cluster *pgsql.Cluster, logger *slog.Logger) (*store.Store, error) {
	legacy, err := store.PrepareAppDatabase(ctx, cluster.DSN("postgres"))
	if err != nil {
		return nil, err
	}
	dsn := cluster.DSNAs(store.AppRole, store.AppRole)
	if legacy {
		logger.Warn("this embedded cluster predates the canale role: Canale keeps connecting to it as the PostgreSQL superuser",
			"dir", cluster.Dir)
		dsn = cluster.DSN("postgres")
	}
	return store.Open(ctx, dsn, logger)
}

// openMigrated is openDatabase followed by the migrations.
func openMigrated(ctx context.Context, cfg config.Config, logger *slog.Logger) (*database, error) {
	d, err := openDatabase(ctx, cfg, logger)
	if err != nil {
		return nil, err
	}
	if _, err := d.Migrate(ctx); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}
