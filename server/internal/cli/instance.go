package cli

import (
	"context"
	"flag"
	"log/slog"
	"net"

	"canale/server/internal/app"
	"canale/server/internal/config"

	"github.com/gin-gonic/gin"
)

// prepared is a server instance listening on its ports over an open,
// migrated database: what serve and demo share before they start it.
type prepared struct {
	cfg    config.Config
	logger *slog.Logger
	inst   *app.Instance
	db     *database
}

// prepare parses the flags of command, listens (before the database, so a
// busy port fails at once), lets fill set what depends on the listener's
// address, and opens the migrated database.
func prepare(ctx context.Context, command string, args []string, getenv func(string) string, io IO,
	fill func(*config.Config, net.Addr)) (*prepared, error) {
	fs := flag.NewFlagSet(command, flag.ContinueOnError)
	fs.SetOutput(io.Err)
	cfg, err := config.ParseFlags(fs, args, getenv)
	if err != nil {
		return nil, err
	}
	logger := cfg.Logger(io.Err)
	inst, err := app.Listen(cfg, logger)
	if err != nil {
		return nil, err
	}
	if fill != nil {
		fill(&cfg, inst.Addr())
	}
	db, err := openMigrated(ctx, cfg, logger)
	if err != nil {
		inst.Close()
		return nil, err
	}
	gin.SetMode(gin.ReleaseMode)
	return &prepared{cfg: cfg, logger: logger, inst: inst, db: db}, nil
}

// close stops the instance and waits for it, then closes the database.
func (p *prepared) close() {
	p.inst.Close()
	p.db.Close()
}
