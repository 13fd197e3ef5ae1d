package stalker

import (
	"strconv"
	"sync"
	"time"

	"canale/server/internal/ratelimit"
	"canale/shared/api"
)

// ScanOptions tune the anti-scan guard.
type ScanOptions struct {
	// Max unknown-MAC calls an address may make per Window before it is
	// refused for the rest of the window (default 20 per 15 minutes: a box
	// not yet registered retries its profile a few times; a scanner walks
	// thousands of MACs).
	Max    int
	Window time.Duration
}

// scanGuard counts calls naming an unknown (or malformed) MAC per address,
// an IPv6 address per /64 as every Canale limit does, and refuses an address
// past the threshold: every call, known MAC or not, since a scanner that
// hit a real MAC must not get to use it. Known devices from other addresses
// pay only a map look-up. The client address is Gin's ClientIP, so the
// trusted-proxy rules of the HTTP edge apply.
type scanGuard struct {
	counts ratelimit.Failures
	now    func() time.Time
	alert  func(api.Alert)

	mu      sync.Mutex
	alerted map[string]time.Time // address key -> end of the window already alerted
}

func newScanGuard(o ScanOptions, now func() time.Time, alert func(api.Alert)) *scanGuard {
	if o.Max <= 0 {
		o.Max = 20
	}
	if o.Window <= 0 {
		o.Window = 15 * time.Minute
	}
	return &scanGuard{counts: ratelimit.Failures{Max: o.Max, Window: o.Window, Now: now}, now: now, alert: alert,
		alerted: map[string]time.Time{}}
}

// allowed reports whether the address may call the portal now.
func (g *scanGuard) allowed(ip string) bool {
	ok, _ := g.counts.Check(ratelimit.AddressKey(ip))
	return ok
}

// unknown counts a call with an unknown MAC from ip, and raises one alert
// per window for an address that crosses the threshold.
func (g *scanGuard) unknown(ip string) {
	key := ratelimit.AddressKey(ip)
	g.counts.Fail(key)
	if ok, retry := g.counts.Check(key); !ok {
		g.cutOff(key, retry)
	}
}

func (g *scanGuard) cutOff(key string, retry time.Duration) {
	now := g.now()
	g.mu.Lock()
	if until, ok := g.alerted[key]; ok && now.Before(until) {
		g.mu.Unlock()
		return
	}
	for k, until := range g.alerted { // few entries: only addresses cut off
		if !now.Before(until) {
			delete(g.alerted, k)
		}
	}
	g.alerted[key] = now.Add(retry)
	g.mu.Unlock()
	if g.alert != nil {
		g.alert(api.Alert{Key: AlertMACScan + ":" + key, Severity: api.SeverityWarning, Kind: AlertMACScan,
			Subject: key, At: now, Message: "Stalker portal: " + key + " tried " + strconv.Itoa(g.counts.Max) +
				" unknown MACs and is refused for " + retry.Round(time.Second).String()})
	}
}

// AlertMACScan is the kind of the alert raised when an address is cut off.
const AlertMACScan = "stalker_mac_scan"
