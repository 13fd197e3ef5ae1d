package store

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// interpretError maps driver errors to coded api errors. It is the one place
// that knows pgx's error types; an *api.Error passes through unchanged.
func interpretError(err error) error {
	if err == nil {
		return nil
	}
	var apiErr *api.Error
	if errors.As(err, &apiErr) {
		return err
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return &api.Error{Code: api.CodeNotFound, Message: "not found"}
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return interpretPgError(pgErr, err)
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) || isConnError(err) {
		return &api.Error{Code: api.CodeUnavailable, Message: "database unavailable", Err: err}
	}
	return err
}

func interpretPgError(pgErr *pgconn.PgError, err error) error {
	switch pgErr.Code {
	case "23505": // unique_violation
		return &api.Error{Code: api.CodeConflict, Message: "already exists",
			Fields: uniqueField(pgErr), Err: err}
	case "23503": // foreign_key_violation
		return foreignKeyError(pgErr)
	case "23514", "22001", "22P02", "22003": // check, too long, bad text repr, out of range
		return &api.Error{Code: api.CodeInvalid, Message: "invalid value: " + pgErr.Message, Err: err}
	}
	if unavailableState(pgErr.Code) {
		return &api.Error{Code: api.CodeUnavailable, Message: "database unavailable", Err: err}
	}
	return err
}

// unavailableState reports the SQLSTATEs that say "not now" rather than
// "not so": a connection exception (class 08), an operator's intervention
// such as a shutdown or a cancelled statement (class 57), resources run out
// (class 53), or a write reaching a server that is read-only because a
// switchover has just made it a standby (25006). The caller may retry each.
func unavailableState(code string) bool {
	switch {
	case strings.HasPrefix(code, "08"), strings.HasPrefix(code, "57"), strings.HasPrefix(code, "53"):
		return true
	}
	return code == "25006"
}

// uniqueField names the field of a unique violation from its constraint.
func uniqueField(pgErr *pgconn.PgError) map[string]string {
	field, ok := constraintField(pgErr, "_key")
	if !ok {
		return nil
	}
	return map[string]string{field: "already taken"}
}

// constraintField is the one parser of constraint names: by convention (and
// PostgreSQL's default) <table>_<column><suffix>. Table names hold underscores
// too (epg_sources_name_key), so the table is cut off by its name, which the
// error carries, never at the first underscore.
func constraintField(pgErr *pgconn.PgError, suffix string) (string, bool) {
	name, ok := strings.CutSuffix(pgErr.ConstraintName, suffix)
	if !ok {
		return "", false
	}
	field, ok := strings.CutPrefix(name, pgErr.TableName+"_")
	return field, ok && field != ""
}

// isConnError reports whether err says the connection is gone: it could
// not be made, or it broke under a statement (a primary killed, a proxy
// cutting its sessions at a switchover, a partition). pgx reports the last
// as a bare io.ErrUnexpectedEOF, which is neither a net.Error nor safe to
// retry, so it is named here or it reaches the client as a 500.
func isConnError(err error) bool {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || errors.Is(err, pgconn.ErrConnClosed) {
		return true
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return true
	}
	var connErr *pgconn.ConnectError
	return errors.As(err, &connErr) || pgconn.SafeToRetry(err)
}
