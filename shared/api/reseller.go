package api

import (
	"encoding/json"
	"time"
)

// Reseller statuses.
const (
	ResellerActive   = "active"
	ResellerDisabled = "disabled"
)

// Reseller is a dealer who signs in to the same API with a reseller token,
// manages only their own subscribers, and pays for packages in credits.
// Password is write-only.
//
// Xtream-Codes panel users (reg_users / users) map here as: username →
// login, email → contact, credits → credits, owner_id → parent_id, notes →
// notes, status → status, override_packages → packages (price_credits_minor).
//
// Amounts are int64 minor units (hundredths of a credit; see money.go).
// The rest (member_group_id, reseller_dns, the crypt(3) password hash, the
// XC id) goes into Attributes under the XC column name.
type Reseller struct {
	ID           int64             `json:"id"`
	Login        string            `json:"login"`
	Password     string            `json:"password,omitempty"`
	Name         string            `json:"name"`
	Contact      string            `json:"contact"`
	CreditsMinor int64             `json:"credits_minor"`
	ParentID     *int64            `json:"parent_id"`
	Packages     []ResellerPackage `json:"packages"`
	Status       string            `json:"status"`
	Notes        string            `json:"notes"`
	Attributes   json.RawMessage   `json:"attributes,omitempty"`
	Version      int               `json:"version"`
	CreatedAt    time.Time         `json:"created_at"`
	UpdatedAt    time.Time         `json:"updated_at"`
}

// ResellerPackage is a package a reseller may sell and its price in credits,
// in minor units.
type ResellerPackage struct {
	PackageID         int64 `json:"package_id"`
	PriceCreditsMinor int64 `json:"price_credits_minor"`
}

// Validate checks a reseller about to be created.
func (r Reseller) Validate() error {
	f := FieldErrors{}
	validateLogin(f, "login", r.Login)
	if r.Password == "" {
		f.Add("password", "required")
	}
	checkCredits(f, "credits_minor", r.CreditsMinor, false)
	validateResellerFields(f, r.Status, r.Packages, r.Attributes)
	return f.Err()
}

func validateResellerFields(f FieldErrors, status string, pkgs []ResellerPackage, attrs json.RawMessage) {
	if status != "" && status != ResellerActive && status != ResellerDisabled {
		f.Add("status", "must be active or disabled")
	}
	seen := map[int64]bool{}
	for _, p := range pkgs {
		switch {
		case p.PackageID <= 0:
			f.Add("packages", "package_id must be a positive id")
		case p.PriceCreditsMinor < 0 || p.PriceCreditsMinor > MaxCreditsMinor:
			f.Add("packages", "price_credits_minor must be between 0 and "+FormatCredits(MaxCreditsMinor)+" credits")
		case seen[p.PackageID]:
			f.Add("packages", "a package is listed twice")
		}
		seen[p.PackageID] = true
	}
	if len(attrs) > 0 && !isJSONObject(attrs) {
		f.Add("attributes", "must be a JSON object")
	}
}

// ResellerUpdate is a partial change of a reseller (PATCH). Credits are not
// here: they change only through POST /resellers/{id}/credits, which logs.
type ResellerUpdate struct {
	Login      *string            `json:"login,omitempty"`
	Password   *string            `json:"password,omitempty"`
	Name       *string            `json:"name,omitempty"`
	Contact    *string            `json:"contact,omitempty"`
	ParentID   *int64             `json:"parent_id,omitempty"` // 0 makes it a top-level reseller
	Packages   *[]ResellerPackage `json:"packages,omitempty"`
	Status     *string            `json:"status,omitempty"`
	Notes      *string            `json:"notes,omitempty"`
	Attributes *json.RawMessage   `json:"attributes,omitempty"`
	Version    int                `json:"version"`
}

// Validate checks the fields that are present.
func (u ResellerUpdate) Validate() error {
	f := FieldErrors{}
	if u.Login != nil {
		validateLogin(f, "login", *u.Login)
	}
	if u.Password != nil && *u.Password == "" {
		f.Add("password", "must not be empty")
	}
	var status string
	var pkgs []ResellerPackage
	var attrs json.RawMessage
	if u.Status != nil {
		status = *u.Status
		if status == "" {
			f.Add("status", "must be active or disabled")
		}
	}
	if u.Packages != nil {
		pkgs = *u.Packages
	}
	if u.Attributes != nil {
		attrs = *u.Attributes
	}
	validateResellerFields(f, status, pkgs, attrs)
	return f.Err()
}

// CreditChange is the body of POST /resellers/{id}/credits: an admin top-up
// (positive) or deduction (negative) in minor units, with the reason kept
// in the log.
type CreditChange struct {
	DeltaMinor int64  `json:"delta_minor"`
	Reason     string `json:"reason"`
}

// Validate checks that the change does something and says why.
func (c CreditChange) Validate() error {
	f := FieldErrors{}
	if c.DeltaMinor == 0 {
		f.Add("delta_minor", "must not be zero")
	}
	checkCredits(f, "delta_minor", c.DeltaMinor, true)
	if c.Reason == "" {
		f.Add("reason", "required")
	}
	return f.Err()
}

// CreditLogEntry is one change of a reseller's credits, in minor units.
type CreditLogEntry struct {
	ID                 int64     `json:"id"`
	ResellerID         int64     `json:"reseller_id"`
	At                 time.Time `json:"at"`
	DeltaMinor         int64     `json:"delta_minor"`
	BalanceBeforeMinor int64     `json:"balance_before_minor"`
	BalanceAfterMinor  int64     `json:"balance_after_minor"`
	Reason             string    `json:"reason"`
	SubscriberID       *int64    `json:"subscriber_id"`
	ActorKind          string    `json:"actor_kind"`
	ActorLogin         string    `json:"actor_login"`
}

// ResellerFilter narrows a reseller list; zero fields do not filter.
type ResellerFilter struct {
	ParentID int64  `json:"parent_id,omitempty" query:"parent_id"`
	Status   string `json:"status,omitempty" query:"status"`
}
