package api

// Apply returns s with the fields u sets: the subscriber a change leaves,
// which the store checks (ValidateChange) and then writes. A password u
// sets lands in Password, for the store to hash once the row passes.
func (u SubscriberUpdate) Apply(s Subscriber) Subscriber {
	set(&s.Login, u.Login)
	set(&s.Password, u.Password)
	set(&s.Name, u.Name)
	set(&s.Contact, u.Contact)
	set(&s.Status, u.Status)
	set(&s.MaxSessions, u.MaxSessions)
	set(&s.PackageIDs, u.PackageIDs)
	set(&s.AllowedIPs, u.AllowedIPs)
	set(&s.AllowedUserAgents, u.AllowedUserAgents)
	set(&s.Notes, u.Notes)
	set(&s.Balance, u.Balance)
	set(&s.PaymentInfo, u.PaymentInfo)
	set(&s.Trial, u.Trial)
	set(&s.Attributes, u.Attributes)
	if u.ExpiresAt != nil {
		s.ExpiresAt = u.ExpiresAt
	}
	if u.ClearExpiry {
		s.ExpiresAt = nil
	}
	if u.ResellerID != nil {
		s.ResellerID = u.ResellerID
		if *u.ResellerID == 0 {
			s.ResellerID = nil
		}
	}
	return s
}

// ValidateChange checks the subscriber u makes of before (u.Apply(before)):
// the one check of a subscriber's change, which the store runs after
// merging whatever surface sent it, so the admin API, the reseller API and
// panel, and the CLI keep the same rules with the same messages. Every
// field of the merged row is checked, but one rule is about the change
// rather than the row: a login's characters and length are checked only
// when u sets a different login. Logins imported from XC panels may hold
// what a new one may not (a trailing space, a slash), and such a subscriber
// must stay editable: extending it or changing its other fields must not be
// refused for a login nobody is changing. The password is write-only, so
// only one u sets is checked.
func (u SubscriberUpdate) ValidateChange(before Subscriber) error {
	after := u.Apply(before)
	f := FieldErrors{}
	if after.Login != before.Login {
		validateLogin(f, "login", after.Login)
	}
	if u.Password != nil && *u.Password == "" {
		f.Add("password", "must not be empty")
	}
	if after.Status == "" {
		f.Add("status", "must be active, disabled or banned")
	}
	validateSubscriberFields(f, after.Status, after.MaxSessions, after.AllowedIPs, after.Attributes)
	return f.Err()
}
