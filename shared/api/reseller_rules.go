package api

import (
	"net/url"
	"strings"
)

// ResellerRules are what the operator lets one reseller do beyond selling
// its packages at its prices (those stay in Reseller.Packages). A reseller
// without rules of its own gets DefaultResellerRules.
type ResellerRules struct {
	ResellerID int64 `json:"reseller_id"`
	// TrialsPerDay and TrialsPerMonth cap the trial lines a reseller makes
	// per calendar day and month (UTC); 0 allows none.
	TrialsPerDay   int `json:"trials_per_day"`
	TrialsPerMonth int `json:"trials_per_month"`
	// TrialPackageID is the package a trial line holds, for TrialHours.
	TrialPackageID *int64 `json:"trial_package_id"`
	TrialHours     int    `json:"trial_hours"`
	// MayCreateResellers lets it make sub-resellers, at most MaxDepth levels
	// below itself.
	MayCreateResellers bool `json:"may_create_resellers"`
	MaxDepth           int  `json:"max_depth"`
	MinLoginLength     int  `json:"min_login_length"`
	MinPasswordLength  int  `json:"min_password_length"`
	MayKillConnections bool `json:"may_kill_connections"`
	// DNS is the host (XC reseller_dns) its customers' links carry instead
	// of the server's own, e.g. "tv.example.com" or "https://tv.example.com:8443".
	DNS string `json:"dns"`
	// RefundUnusedOnDelete refunds, when a reseller deletes a paid line, the
	// price of the packages it holds in proportion to the time left.
	RefundUnusedOnDelete bool `json:"refund_unused_on_delete"`
}

// DefaultResellerRules are the rules of a reseller the operator has not
// configured: it sells its packages and nothing more.
func DefaultResellerRules(resellerID int64) ResellerRules {
	return ResellerRules{ResellerID: resellerID, TrialHours: 24, MinLoginLength: 1, MinPasswordLength: 1}
}

// Validate checks rules about to be saved.
func (r ResellerRules) Validate() error {
	f := FieldErrors{}
	if r.TrialsPerDay < 0 {
		f.Add("trials_per_day", "must not be negative")
	}
	if r.TrialsPerMonth < 0 {
		f.Add("trials_per_month", "must not be negative")
	}
	if r.TrialHours < 1 || r.TrialHours > 744 {
		f.Add("trial_hours", "must be between 1 and 744 (31 days)")
	}
	if (r.TrialsPerDay > 0 || r.TrialsPerMonth > 0) && (r.TrialPackageID == nil || *r.TrialPackageID <= 0) {
		f.Add("trial_package_id", "required when trials are allowed")
	}
	if r.MaxDepth < 0 || r.MaxDepth > 10 {
		f.Add("max_depth", "must be between 0 and 10")
	}
	if r.MinLoginLength < 1 || r.MinLoginLength > 64 {
		f.Add("min_login_length", "must be between 1 and 64")
	}
	if r.MinPasswordLength < 1 || r.MinPasswordLength > 128 {
		f.Add("min_password_length", "must be between 1 and 128")
	}
	if r.DNS != "" {
		if _, err := ParseResellerDNS(r.DNS); err != nil {
			f.Add("dns", err.Error())
		}
	}
	return f.Err()
}

// ParseResellerDNS turns a reseller's DNS into the base URL of its
// customers' links: a bare host gets the scheme "http", as XC panels do.
func ParseResellerDNS(dns string) (string, error) {
	dns = strings.TrimSpace(dns)
	if !strings.Contains(dns, "://") {
		dns = "http://" + dns
	}
	u, err := url.Parse(dns)
	switch {
	case err != nil || u.Host == "" || u.Hostname() == "":
		return "", Errorf(CodeInvalid, "must be a host name or an http(s) URL")
	case u.Scheme != "http" && u.Scheme != "https":
		return "", Errorf(CodeInvalid, "must use http or https")
	case (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil:
		return "", Errorf(CodeInvalid, "must be a host, with no path, query or user")
	}
	return u.Scheme + "://" + u.Host, nil
}

// ResellerLinkBase is the one decision of the host a reseller's customers'
// links carry: the base URL of its DNS, or "" (the server's own) when it
// has none or one the rules' validation would refuse. Playlists, guides,
// Xtream server_info, Enigma2 scripts, the portal's playlists page, the
// panel's hand-over and the admin API's links all go through it.
func ResellerLinkBase(dns string) string {
	if strings.TrimSpace(dns) == "" {
		return ""
	}
	base, err := ParseResellerDNS(dns)
	if err != nil {
		return ""
	}
	return base
}

// TrialRequest is the body of POST /me/trials: a reseller's free trial
// line, on its trial package for its trial hours.
type TrialRequest struct {
	Login    string `json:"login"`
	Password string `json:"password"`
	Name     string `json:"name"`
	Notes    string `json:"notes"`
}

// Validate checks the login and that there is a password; their lengths
// are checked against the reseller's rules by the store.
func (t TrialRequest) Validate() error {
	f := FieldErrors{}
	validateLogin(f, "login", t.Login)
	if t.Password == "" {
		f.Add("password", "required")
	}
	return f.Err()
}

// CreditTransfer is the body of POST /me/sub-resellers/{id}/credits: a
// reseller moves credits to (positive) or back from (negative) one of its
// sub-resellers, in minor units; both sides are logged.
type CreditTransfer struct {
	DeltaMinor int64  `json:"delta_minor"`
	Reason     string `json:"reason"`
}

// Validate checks the transfer moves something.
func (c CreditTransfer) Validate() error {
	f := FieldErrors{}
	if c.DeltaMinor == 0 {
		f.Add("delta_minor", "must not be zero")
	}
	checkCredits(f, "delta_minor", c.DeltaMinor, true)
	return f.Err()
}

// ResellerDashboard is what the reseller panel's first page shows.
type ResellerDashboard struct {
	CreditsMinor    int64 `json:"credits_minor"`
	Active          int   `json:"active"`             // not expired, not disabled
	ExpiringIn7Days int   `json:"expiring_in_7_days"` // active and expiring within 7 days
	Expired         int   `json:"expired"`
	Trials          int   `json:"trials"` // trial lines still running
	LiveConnections int   `json:"live_connections"`
}
