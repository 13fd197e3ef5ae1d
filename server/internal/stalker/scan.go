package stalker

import (
	"net/netip"
	"strconv"
	"sync"
	"sync/atomic"
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
// hit a real MAC must not get to use it. The client address is Gin's
// ClientIP, so the trusted-proxy rules of the HTTP edge apply.
//
// Every call asks allowed first, so it is kept off the counters: the
// addresses cut off sit in an immutable set swapped on each cut-off, read
// without a lock. While none is cut off a call pays one atomic load; while
// some are, a parse of its address (no allocation) and one look-up, which
// is also all a refused scanner's call costs before its answer.
type scanGuard struct {
	counts ratelimit.Failures
	now    func() time.Time
	alert  func(api.Alert)

	mu      sync.Mutex // serializes cut-offs
	refused atomic.Pointer[map[scanKey]time.Time]
	// maxRefused bounds the set of addresses cut off at once; past it the
	// set is rebuilt without the expired ones and, if still full, a new
	// address is refused by the counters alone (slower, as correct).
	maxRefused int
}

// scanKey is an address as the guard counts it: IPv4, or an IPv6 /64;
// raw holds what ClientIP gave when it is no address at all.
type scanKey struct {
	addr netip.Addr
	raw  string
}

func keyOf(ip string) scanKey {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return scanKey{raw: ip}
	}
	a = a.Unmap().WithZone("")
	if a.Is6() {
		p, _ := a.Prefix(64)
		a = p.Addr()
	}
	return scanKey{addr: a}
}

// maxRefused is scanGuard.maxRefused: a map of this many entries is
// copied in well under a millisecond on each cut-off.
const maxRefused = 4096

func newScanGuard(o ScanOptions, now func() time.Time, alert func(api.Alert)) *scanGuard {
	if o.Max <= 0 {
		o.Max = 20
	}
	if o.Window <= 0 {
		o.Window = 15 * time.Minute
	}
	g := &scanGuard{counts: ratelimit.Failures{Max: o.Max, Window: o.Window, Now: now}, now: now, alert: alert,
		maxRefused: maxRefused}
	g.refused.Store(&map[scanKey]time.Time{})
	return g
}

// refusing reports whether any address is cut off; while none is, every
// address is allowed.
func (g *scanGuard) refusing() bool { return len(*g.refused.Load()) != 0 }

// allowed reports whether the address may call the portal now.
func (g *scanGuard) allowed(ip string) bool {
	set := *g.refused.Load()
	if len(set) == 0 {
		return true
	}
	if until, ok := set[keyOf(ip)]; ok && g.now().Before(until) {
		return false
	}
	if len(set) < g.maxRefused {
		return true
	}
	ok, _ := g.counts.Check(ratelimit.AddressKey(ip)) // the set overflowed: ask the counters
	return ok
}

// unknown counts a call with an unknown MAC from ip, and cuts the address
// off (with one alert per window) when it crosses the threshold.
func (g *scanGuard) unknown(ip string) {
	key := ratelimit.AddressKey(ip)
	g.counts.Fail(key)
	if ok, retry := g.counts.Check(key); !ok {
		g.cutOff(ip, key, retry)
	}
}

func (g *scanGuard) cutOff(ip, key string, retry time.Duration) {
	now := g.now()
	k := keyOf(ip)
	g.mu.Lock()
	old := *g.refused.Load()
	if until, ok := old[k]; ok && now.Before(until) {
		g.mu.Unlock()
		return
	}
	set := make(map[scanKey]time.Time, len(old)+1)
	for a, until := range old {
		if now.Before(until) {
			set[a] = until
		}
	}
	if len(set) < g.maxRefused {
		set[k] = now.Add(retry)
	}
	g.refused.Store(&set)
	g.mu.Unlock()
	if g.alert != nil {
		g.alert(api.Alert{Key: AlertMACScan + ":" + key, Severity: api.SeverityWarning, Kind: AlertMACScan,
			Subject: key, At: now, Message: "Stalker portal: " + key + " tried " + strconv.Itoa(g.counts.Max) +
				" unknown MACs and is refused for " + retry.Round(time.Second).String()})
	}
}

// AlertMACScan is the kind of the alert raised when an address is cut off.
const AlertMACScan = "stalker_mac_scan"
