// Package netguard keeps the server's outbound requests to addresses that an
// operator typed (EPG sources) away from the server's own network.
//
// A guide URL is typed by staff but served by somebody else: the host can
// resolve to 127.0.0.1 today and to 10.0.0.5 after the next DNS change, or
// redirect there. So the check is made on the address actually dialed, in a
// net.Dialer Control hook, after name resolution and for every redirect, and
// not on the URL's text.
package netguard

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// ErrBlocked is wrapped by the error of a dial that the guard refused.
var ErrBlocked = errors.New("address is not on the public internet")

// blockedRanges are the special-purpose ranges netip's predicates do not
// name (RFC 6890 and its IANA registries) that a request must not reach.
var blockedRanges = []struct {
	prefix netip.Prefix
	kind   string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "this-network"},
	{netip.MustParsePrefix("100.64.0.0/10"), "shared (carrier-grade NAT)"},
	{netip.MustParsePrefix("192.0.0.0/24"), "IETF protocol assignment"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"}, // includes the broadcast address
	{netip.MustParsePrefix("fec0::/10"), "site-local"},
}

// embeddedIPv4 are IPv6 ranges that carry an IPv4 address in their last
// 32 bits and reach it (NAT64, IPv4-compatible); the IPv4 address decides.
var embeddedIPv4 = []netip.Prefix{
	netip.MustParsePrefix("64:ff9b::/96"),
	netip.MustParsePrefix("::/96"),
}

// Check returns an error wrapping ErrBlocked when addr is loopback, private,
// link-local, multicast, unspecified or otherwise not a public unicast
// address, in any of its IPv6 spellings (IPv4-mapped, NAT64).
func Check(addr netip.Addr) error {
	if kind := blockedKind(addr); kind != "" {
		return fmt.Errorf("%s is a %s address: %w", addr, kind, ErrBlocked)
	}
	return nil
}

func blockedKind(addr netip.Addr) string {
	addr = addr.Unmap()
	if addr.Is6() {
		for _, p := range embeddedIPv4 {
			if p.Contains(addr) && addr != netip.IPv6Unspecified() && addr != netip.IPv6Loopback() {
				b := addr.As16()
				return blockedKind(netip.AddrFrom4([4]byte(b[12:])))
			}
		}
	}
	switch {
	case !addr.IsValid():
		return "invalid"
	case addr.IsUnspecified():
		return "unspecified"
	case addr.IsLoopback():
		return "loopback"
	case addr.IsPrivate():
		return "private"
	case addr.IsLinkLocalUnicast():
		return "link-local"
	case addr.IsMulticast(), addr.IsInterfaceLocalMulticast(), addr.IsLinkLocalMulticast():
		return "multicast"
	}
	for _, r := range blockedRanges {
		if r.prefix.Contains(addr) {
			return r.kind
		}
	}
	return ""
}

// control is the net.Dialer Control hook: it sees the resolved address of
// every connection attempt, so DNS answers and redirects cannot slip past.
func control(check func(netip.Addr) error) func(network, address string, _ syscall.RawConn) error {
	return func(network, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("dial %s %s: %w", network, address, ErrBlocked)
		}
		return check(ap.Addr())
	}
}

// Client returns an HTTP client for URLs an operator typed. Unless
// allowPrivate, it refuses to connect to any address Check refuses,
// including after redirects. It uses no proxy from the environment: a
// proxy would resolve the host itself, out of the guard's sight.
func Client(allowPrivate bool) *http.Client {
	return &http.Client{Transport: transport(allowPrivate, Check)}
}

func transport(allowPrivate bool, check func(netip.Addr) error) *http.Transport {
	d := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	if !allowPrivate {
		d.Control = control(check)
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = nil
	t.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		return d.DialContext(ctx, network, addr)
	}
	return t
}
