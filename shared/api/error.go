package api

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Code classifies an error so that each boundary (HTTP, CLI, desktop) can map
// it once to its own representation.
type Code string

// Error codes. The HTTP surfaces map them to statuses in one place.
const (
	CodeInvalid      Code = "invalid"      // the request is malformed or a field fails validation
	CodeUnauthorized Code = "unauthorized" // no valid credentials
	CodeForbidden    Code = "forbidden"    // authenticated, but the role may not do this
	CodeNotFound     Code = "not_found"    // the entity does not exist (or is not visible to the caller)
	CodeConflict     Code = "conflict"     // unique constraint, stale version, entity still referenced
	CodeRateLimited  Code = "rate_limited" // too many attempts; retry later
	CodeUnavailable  Code = "unavailable"  // a dependency (database, streamer) cannot be reached
	CodeInternal     Code = "internal"     // a bug or an unexpected failure; details are logged, not returned
)

// Error is an error that carries a Code, a message safe to show to the caller
// and, for validation errors, the offending fields with a reason each. Err is
// the cause (what the database or the network said): it is in Error(), so
// logs show it, and reachable by errors.Is/As, but never on the wire, where
// only Message goes.
type Error struct {
	Code    Code              `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
	Err     error             `json:"-"`
}

// Error implements the error interface: the message, the fields, then the
// cause.
func (e *Error) Error() string {
	if e.Err != nil {
		return e.callerText() + ": " + e.Err.Error()
	}
	return e.callerText()
}

// Unwrap returns the cause, if any.
func (e *Error) Unwrap() error { return e.Err }

// callerText is the message with the fields that failed.
func (e *Error) callerText() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	names := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		names = append(names, k)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, k := range names {
		parts[i] = k + ": " + e.Fields[k]
	}
	return e.Message + " (" + strings.Join(parts, "; ") + ")"
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, CodeInternal
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// ErrorMessage returns the caller-safe message of err: the message of an *Error,
// or a generic text for anything else, so internal details never leak.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// FieldErrors collects validation failures keyed by JSON field name.
type FieldErrors map[string]string

// Add records a failure for field unless one is already recorded.
func (f FieldErrors) Add(field, reason string) {
	if _, ok := f[field]; !ok {
		f[field] = reason
	}
}

// Err returns nil when no field failed, or an *Error with CodeInvalid that
// names every failing field.
func (f FieldErrors) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Code: CodeInvalid, Message: "validation failed", Fields: f}
}
