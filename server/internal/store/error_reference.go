package store

import (
	"strings"

	"canale/shared/api"

	"github.com/jackc/pgx/v5/pgconn"
)

// foreignKeyError tells apart the two sides of a foreign key violation: a
// write naming a row that does not exist is the caller's invalid field (named
// from the constraint <table>_<column>_fkey), a delete of a row still
// referenced is a conflict.
func foreignKeyError(pgErr *pgconn.PgError) error {
	if strings.Contains(pgErr.Detail, "is not present in table") {
		e := &api.Error{Code: api.CodeInvalid, Message: "refers to a missing entity", Err: pgErr}
		if field, ok := constraintField(pgErr, "_fkey"); ok {
			e.Fields = map[string]string{field: "does not exist"}
		}
		return e
	}
	return &api.Error{Code: api.CodeConflict, Message: "still referenced: " + pgErr.ConstraintName, Err: pgErr}
}
