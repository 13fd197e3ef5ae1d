package api

import (
	"net/mail"
	"strings"
	"time"
)

// TLSStatus is the state of HTTPS with a Let's Encrypt certificate.
type TLSStatus struct {
	Enabled   bool      `json:"enabled"`
	Domain    string    `json:"domain"`
	Email     string    `json:"email"`
	Issuer    string    `json:"issuer,omitempty"`
	NotAfter  time.Time `json:"not_after,omitempty"`
	LastError string    `json:"last_error,omitempty"`
	HTTPSAddr string    `json:"https_addr,omitempty"`
}

// LetsEncryptRequest asks for a certificate for Domain (the host of the
// external URL when empty), registering the ACME account with Email.
type LetsEncryptRequest struct {
	Domain string `json:"domain"`
	Email  string `json:"email"`
}

// Validate checks the domain is a fully qualified name (the CA refuses bare
// hosts and IP addresses) and the e-mail address parses.
func (r LetsEncryptRequest) Validate() error {
	f := FieldErrors{}
	d := strings.TrimSpace(r.Domain)
	switch {
	case d == "":
		f.Add("domain", "required (or set the external URL)")
	case !strings.Contains(d, ".") || strings.ContainsAny(d, " /:") || isIPLiteral(d):
		f.Add("domain", "must be a fully qualified domain name such as iptv.example.com")
	}
	if r.Email != "" {
		if _, err := mail.ParseAddress(r.Email); err != nil {
			f.Add("email", "not an e-mail address")
		}
	}
	return f.Err()
}

func isIPLiteral(s string) bool {
	for _, c := range s {
		if (c < '0' || c > '9') && c != '.' {
			return false
		}
	}
	return true
}
