package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// AppRole names both the role the server connects as on its embedded
// cluster and the database that role owns.
const AppRole = "canale"

// PrepareAppDatabase readies the embedded cluster reached as its superuser
// at adminDSN and says where Canale keeps its data there. The server needs
// no superuser: owning its database is enough (see the README's grants), so
// a new cluster gets a role AppRole (LOGIN, NOSUPERUSER, NOCREATEDB,
// NOCREATEROLE) owning a database AppRole, created here on first use, and
// the caller connects as that role. A cluster made before Canale had a role
// of its own keeps its tables in the postgres database, owned by the
// superuser; legacy is then true and the caller goes on connecting as before,
// so an upgrade neither moves nor loses data.
func PrepareAppDatabase(ctx context.Context, adminDSN string) (legacy bool, err error) {
	conn, err := pgx.Connect(ctx, adminDSN)
	if err != nil {
		return false, fmt.Errorf("connect as superuser: %w", err)
	}
	defer conn.Close(ctx)
	var hasDB, hasLegacySchema, hasRole bool
	if err := conn.QueryRow(ctx, `SELECT
			EXISTS (SELECT 1 FROM pg_database WHERE datname = $1),
			to_regclass('public.schema_migrations') IS NOT NULL,
			EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)`, AppRole).
		Scan(&hasDB, &hasLegacySchema, &hasRole); err != nil {
		return false, fmt.Errorf("inspect cluster: %w", err)
	}
	if !hasDB && hasLegacySchema {
		return true, nil
	}
	if !hasRole {
		if _, err := conn.Exec(ctx, `CREATE ROLE `+AppRole+` LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE`); err != nil && !isDuplicate(err) {
			return false, fmt.Errorf("create role %s: %w", AppRole, err)
		}
	}
	if !hasDB {
		if _, err := conn.Exec(ctx, `CREATE DATABASE `+AppRole+` OWNER `+AppRole); err != nil && !isDuplicate(err) {
			return false, fmt.Errorf("create database %s: %w", AppRole, err)
		}
	}
	return false, nil
}

// isDuplicate reports whether err says a role or database exists already:
// another process (setup init beside serve) made it in the meantime.
func isDuplicate(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == "42710" || // duplicate_object
		pgErr.Code == "42P04") // duplicate_database
}
