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

// openDatabase connects to CANALE_DATABASE_URL or, without one, to the
// embedded cluster in the data directory: the running server's when one is
// up, else one started for this process. The returned func closes the store
// and stops a cluster this process started.
func openDatabase(ctx context.Context, cfg config.Config, logger *slog.Logger) (*store.Store, func(), error) {
	if cfg.DatabaseURL != "" {
		s, err := store.Open(ctx, cfg.DatabaseURL, logger)
		if err != nil {
			return nil, nil, fmt.Errorf("connect to CANALE_DATABASE_URL: %w", err)
		}
		return s, s.Close, nil
	}
	cluster := &pgsql.Cluster{Dir: filepath.Join(cfg.DataDir, "postgresql"), Logger: logger}
	owned, err := cluster.Start(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("embedded PostgreSQL: %w", err)
	}
	if owned {
		logger.Info("embedded PostgreSQL started", "dir", cluster.Dir)
	} else {
		logger.Info("using the embedded PostgreSQL already running", "dir", cluster.Dir)
	}
	s, err := store.Open(ctx, cluster.DSN("postgres"), logger)
	if err != nil {
		cluster.Stop()
		return nil, nil, fmt.Errorf("connect to embedded PostgreSQL: %w", err)
	}
	return s, func() { s.Close(); cluster.Stop() }, nil
}

// openMigrated is openDatabase followed by the migrations.
func openMigrated(ctx context.Context, cfg config.Config, logger *slog.Logger) (*store.Store, func(), error) {
	s, closeFn, err := openDatabase(ctx, cfg, logger)
	if err != nil {
		return nil, nil, err
	}
	if _, err := s.Migrate(ctx); err != nil {
		closeFn()
		return nil, nil, err
	}
	return s, closeFn, nil
}
