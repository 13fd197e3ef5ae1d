package flussonic

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
)

// Error kinds. A caller tells them apart with errors.Is, e.g.
// errors.Is(err, flussonic.ErrTimeout).
var (
	// ErrTimeout means the streamer did not answer before the deadline.
	ErrTimeout = errors.New("streamer timed out")
	// ErrUnreachable means no HTTP answer at all: refused, reset, DNS, TLS.
	ErrUnreachable = errors.New("streamer unreachable")
	// ErrUnauthorized means the streamer refused the credentials (401 or 403).
	ErrUnauthorized = errors.New("streamer refused credentials")
	// ErrNotFound means the streamer answered 404.
	ErrNotFound = errors.New("not found on streamer")
	// ErrServer means the streamer answered with a 5xx status.
	ErrServer = errors.New("streamer server error")
	// ErrBadResponse means any other status, or a body that is not the JSON expected.
	ErrBadResponse = errors.New("unexpected answer from streamer")
)

// Error is what every Client method returns on failure. Kind is one of the
// Err* values above, so errors.Is(err, ErrServer) works; Err is the cause.
type Error struct {
	Op     string // e.g. "GET /streamer/api/v3/streams"
	Status int    // HTTP status, 0 when there was no answer
	Kind   error
	Title  string // error title from the streamer's JSON, if any
	Err    error
}

func (e *Error) Error() string {
	msg := e.Op + ": " + e.Kind.Error()
	if e.Status != 0 {
		msg += fmt.Sprintf(" (HTTP %d)", e.Status)
	}
	if e.Title != "" {
		msg += ": " + e.Title
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Is reports whether target is this error's kind.
func (e *Error) Is(target error) bool { return target == e.Kind }

// Unwrap returns the cause, so errors.Is(err, context.DeadlineExceeded) also works.
func (e *Error) Unwrap() error { return e.Err }

// transportError classifies an error from http.Client.Do.
func transportError(op string, err error) error {
	kind := ErrUnreachable
	var nerr net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &nerr) && nerr.Timeout()) {
		kind = ErrTimeout
	}
	if errors.Is(err, context.Canceled) {
		// The caller gave up; not the streamer's fault, but no answer either.
		kind = ErrUnreachable
	}
	return &Error{Op: op, Kind: kind, Err: err}
}

// statusKind maps an HTTP status to an error kind.
func statusKind(status int) error {
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return ErrUnauthorized
	case status == http.StatusNotFound:
		return ErrNotFound
	case status >= 500:
		return ErrServer
	default:
		return ErrBadResponse
	}
}
