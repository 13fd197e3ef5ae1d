package store

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Store is a connection pool to Canale's database.
type Store struct {
	pool   *pgxpool.Pool
	logger *slog.Logger
	// hasher hashes the passwords the store sets (HashPasswordsWith).
	hasher PasswordHasher
	// connected gets a token whenever the pool opens a connection, so a
	// LISTEN waiting to reconnect tries again as soon as the database is
	// back instead of at the end of its backoff (ListenChanges).
	connected chan struct{}
	// listenCfg, when set (ListenOn), is where the LISTEN connection goes
	// instead of the pool's database URL.
	listenCfg *pgx.ConnConfig
}

// Open connects to the database at dsn and checks that it answers. It does not
// migrate; call Migrate for that.
func Open(ctx context.Context, dsn string, logger *slog.Logger) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("parse database url: %w", err)
	}
	cfg.MaxConnIdleTime = 5 * time.Minute
	s := &Store{logger: logger, connected: make(chan struct{}, 1)}
	cfg.AfterConnect = func(context.Context, *pgx.Conn) error {
		select {
		case s.connected <- struct{}{}:
		default:
		}
		return nil
	}
	cfg.ConnConfig.Tracer = deadConnTracer{s}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	s.pool = pool
	if err := s.Ping(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// ListenOn sends the LISTEN connection (ListenChanges) to dsn instead of
// the pool's URL: behind a transaction-pooling PgBouncer the pool works but
// a LISTEN does not (it belongs to one server session), so it must reach
// PostgreSQL directly or through a session-pooled port. Call it before
// ListenChanges.
func (s *Store) ListenOn(dsn string) error {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return fmt.Errorf("parse listen database url: %w", err)
	}
	s.listenCfg = cfg
	return nil
}

// deadConnTracer drops every idle connection of the pool as soon as one
// comes back closed: they all led to the same server, which a failover, a
// switchover or a cut has just taken away. pgxpool pings only connections
// idle for over a second, so the others would otherwise be handed out one
// by one, each failing its statement (TestPoolDropsConnectionsOfAGoneServer);
// a read model catching up on such a connection after a failover fails and
// waits for its retry, 2 s later.
type deadConnTracer struct{ s *Store }

func (deadConnTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	return ctx
}

func (deadConnTracer) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (t deadConnTracer) TraceRelease(_ *pgxpool.Pool, d pgxpool.TraceReleaseData) {
	if d.Conn.IsClosed() {
		t.s.pool.Reset() // at once: the next Acquire must not get one of the others
	}
}

// Close releases every connection.
func (s *Store) Close() { s.pool.Close() }

// Ping checks that the database answers within ctx.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return interpretError(fmt.Errorf("ping database: %w", err))
	}
	return nil
}

// inTx runs fn in a transaction, committing when it returns nil. Errors are
// interpreted once here so every public method returns coded errors.
func (s *Store) inTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	err := pgx.BeginFunc(ctx, s.pool, fn)
	return interpretError(err)
}

// ConnString is the connection string the store was opened with: backups
// hand it to pg_dump and pg_restore, which connect on their own.
func (s *Store) ConnString() string { return s.pool.Config().ConnString() }
