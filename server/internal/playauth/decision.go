package playauth

import (
	"context"
	"crypto/subtle"
	"net/netip"
	"time"

	"canale/server/internal/catalog"
	"canale/shared/api"
)

// Decision is the answer to one Request.
type Decision struct {
	Allow  bool
	Reason Reason
	// Subscriber is whose token it was; HasSubscriber is false for publish
	// and for unknown tokens. A value, not a pointer: a pointer would cost an
	// allocation on every viewer check.
	Subscriber    catalog.Subscriber
	HasSubscriber bool
	Channel       *catalog.Channel
	AuthDuration  time.Duration
	// DVRRange is the archive window for dvr=true requests, in UTC seconds.
	DVRFrom, DVRTo int64
}

// Authorize decides a request from the read model and, for a play session
// it has not seen, admits it under the subscriber's session limit.
func (s *Service) Authorize(ctx context.Context, r Request) Decision {
	start := s.Now()
	d := s.decide(ctx, r, start)
	s.metrics.observe(&d, s.Now().Sub(start))
	s.recordRefusal(&r, &d, start)
	return d
}

func (s *Service) decide(ctx context.Context, r Request, now time.Time) Decision {
	settings := s.Catalog.Settings()
	d := Decision{AuthDuration: settings.AuthDuration}
	if r.Kind == KindPublish {
		return s.decidePublish(r, settings, d)
	}
	if reason := s.check(r, now, &d); reason != ReasonOK {
		return deny(d, reason)
	}
	if r.DVR {
		d.DVRFrom = now.Add(-time.Duration(d.Channel.DVRDays) * 24 * time.Hour).Unix()
		d.DVRTo = now.Add(settings.AuthDuration).Unix()
	}
	if reason := s.session(ctx, &r, &d, settings, now); reason != ReasonOK {
		return deny(d, reason)
	}
	d.Allow, d.Reason = true, ReasonOK
	return d
}

// check applies the rules that need only the model, in the order a support
// engineer would ask them: who, is the account usable, what, from where.
func (s *Service) check(r Request, now time.Time, d *Decision) Reason {
	if r.Token == "" {
		return ReasonUnknownToken
	}
	var mintedChannel int64 // a Stalker create_link token names its channel
	if !s.Catalog.LookupToken(r.Token, &d.Subscriber) {
		var ok bool
		if mintedChannel, ok = s.lookupMinted(r, now, &d.Subscriber); !ok {
			return ReasonUnknownToken
		}
	}
	d.HasSubscriber = true
	sub := &d.Subscriber
	switch {
	case sub.Status == catalog.StatusBanned:
		return ReasonBanned
	case sub.Status != catalog.StatusActive:
		return ReasonDisabled
	case sub.Expired(now):
		return ReasonExpired
	case !s.Catalog.ResellerActive(sub.ResellerID):
		return ReasonResellerDisabled
	case mintedChannel == 0 && sub.DeviceOnly.Has(api.DeviceOnlyMAG):
		// XC plays a MAG line only through its portal, whose links are
		// minted; the line's own token (in /live/ links) is refused.
		return ReasonDeviceNotAllowed
	}
	if r.Name == "" {
		return ReasonMissingStreamName
	}
	ch, ok := s.Catalog.Channel(r.Name)
	if !ok {
		return s.checkOnDemand(r, sub, mintedChannel) // a movie's or episode's file, or nothing
	}
	d.Channel = ch
	switch {
	case mintedChannel != 0 && ch.ID != mintedChannel:
		return ReasonUnknownToken
	case !ch.Enabled:
		return ReasonChannelDisabled
	case !s.Catalog.Entitled(sub, ch):
		return ReasonNotInPackage
	}
	if reason := viewerAllowed(sub, r.IP, r.UserAgent); reason != ReasonOK {
		return reason
	}
	if r.DVR && ch.DVRDays <= 0 {
		return ReasonDVRNotAllowed
	}
	return ReasonOK
}

// viewerAllowed applies the subscriber's own limits on who plays: the
// address and user agent lists.
func viewerAllowed(sub *catalog.Subscriber, ip, userAgent string) Reason {
	switch {
	case !ipAllowed(sub, ip):
		return ReasonIPNotAllowed
	case !sub.UserAgentAllowed(userAgent):
		return ReasonUserAgentNotAllowed
	}
	return ReasonOK
}

func ipAllowed(sub *catalog.Subscriber, ip string) bool {
	if len(sub.AllowedIPs) == 0 {
		return true
	}
	a, err := netip.ParseAddr(ip)
	return err == nil && sub.IPAllowed(a)
}

// decidePublish allows publishing an enabled channel to whoever presents
// the installation's publish key.
func (s *Service) decidePublish(r Request, settings catalog.Settings, d Decision) Decision {
	if r.Name == "" {
		return deny(d, ReasonMissingStreamName)
	}
	ch, ok := s.Catalog.Channel(r.Name)
	if !ok {
		return deny(d, ReasonUnknownChannel)
	}
	d.Channel = ch
	if !ch.Enabled {
		return deny(d, ReasonChannelDisabled)
	}
	key := r.Key
	if key == "" {
		key = r.Token
	}
	if settings.PublishKey == "" || subtle.ConstantTimeCompare([]byte(key), []byte(settings.PublishKey)) != 1 {
		return deny(d, ReasonPublishNotAllowed)
	}
	d.Allow, d.Reason = true, ReasonOK
	return d
}

func deny(d Decision, reason Reason) Decision {
	d.Allow, d.Reason = false, reason
	return d
}
