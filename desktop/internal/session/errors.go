package session

import (
	"errors"
	"fmt"
	"strings"

	"canale/shared/api"
	"canale/shared/client"
)

// ErrBadCredentials is returned by Login for a wrong login or password (or a
// disabled account: the server does not say which).
var ErrBadCredentials = errors.New("wrong login or password")

// ErrCodeNeeded is returned by Login when the password was right and the
// account signs in with a second factor: ask for the code and sign in again
// with Credentials.Code.
var ErrCodeNeeded = errors.New("enter the code of your authenticator app (or a recovery code)")

// UnreachableError says the server could not be reached at all.
type UnreachableError struct {
	URL    string
	Detail string
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("cannot reach %s (%s); check the address and that Canale is running there", e.URL, e.Detail)
}

// VersionMismatchError says the server speaks another admin API version.
type VersionMismatchError struct {
	ServerVersion string // the server's release, e.g. "1.4.0"
	ServerAPI     int
	ClientAPI     int
}

func (e *VersionMismatchError) Error() string {
	return fmt.Sprintf("the server (Canale %s) speaks admin API v%d but this app speaks v%d; install the canale-admin that matches the server",
		e.ServerVersion, e.ServerAPI, e.ClientAPI)
}

// UntrustedCertError says the server's certificate is not trusted by this
// computer. Show Fingerprint to the user; if they confirm it matches the
// server's (canale prints it at start), sign in again with
// Credentials.TrustFingerprint set to it.
type UntrustedCertError struct {
	Host        string
	Fingerprint string // SHA-256 of the leaf certificate, "AB:CD:…"
	Changed     bool   // a different certificate was pinned for this server before
	Reason      string
}

func (e *UntrustedCertError) Error() string {
	if e.Changed {
		return fmt.Sprintf("the certificate of %s has CHANGED since you trusted it (now %s); someone may be intercepting the connection",
			e.Host, e.Fingerprint)
	}
	return fmt.Sprintf("the certificate of %s is not trusted (%s); its SHA-256 fingerprint is %s", e.Host, e.Reason, e.Fingerprint)
}

// loginError turns the client's coded errors into the messages a person
// needs: which of credentials, network or server is at fault.
func loginError(baseURL string, err error) error {
	switch api.ErrorCode(err) {
	case api.CodeUnauthorized:
		if client.NeedsSecondFactor(err) {
			return ErrCodeNeeded
		}
		var e *api.Error
		if errors.As(err, &e) && e.Fields[api.FieldTOTPCode] != "" {
			return errors.New("wrong or already used code; wait for the next one")
		}
		return ErrBadCredentials
	case api.CodeUnavailable:
		msg := api.ErrorMessage(err)
		msg = strings.TrimPrefix(msg, "cannot reach "+baseURL+": ")
		if _, rest, ok := strings.Cut(msg, `": `); ok { // drop net/http's `Post "url": `
			msg = rest
		}
		return &UnreachableError{URL: baseURL, Detail: msg}
	}
	return fmt.Errorf("sign in to %s: %w", baseURL, err)
}
