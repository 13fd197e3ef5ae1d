package api

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// TestErrorKeepsCause checks that the cause of an Error is in its text (what
// logs print) and reachable by errors.Is, but not in the JSON body.
func TestErrorKeepsCause(t *testing.T) {
	cause := errors.New("dial tcp 10.0.0.7:5432: connection refused")
	err := error(&Error{Code: CodeUnavailable, Message: "database unavailable", Err: cause})
	if !errors.Is(err, cause) {
		t.Errorf("errors.Is(err, cause) = false, want true")
	}
	if got, want := err.Error(), "database unavailable: "+cause.Error(); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := ErrorMessage(err), "database unavailable"; got != want {
		t.Errorf("ErrorMessage: got %q, want %q", got, want)
	}
	b, jerr := json.Marshal(err)
	if jerr != nil {
		t.Fatal(jerr)
	}
	if strings.Contains(string(b), "10.0.0.7") {
		t.Errorf("got body %s, want no cause in it", b)
	}
	fields := &Error{Code: CodeInvalid, Message: "validation failed", Fields: map[string]string{"login": "required"}}
	if got, want := fields.Error(), "validation failed (login: required)"; got != want {
		t.Errorf("without cause: got %q, want %q", got, want)
	}
}
