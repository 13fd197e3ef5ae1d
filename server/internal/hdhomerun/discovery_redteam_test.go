package hdhomerun

import (
	"context"
	"encoding/hex"
	"log/slog"
	"net"
	"net/netip"
	"strconv"
	"testing"
	"time"
)

// packet is one datagram a fakeConn delivers.
type packet struct {
	from net.Addr
	data []byte
}

// fakeConn delivers packets from any source address, as a forged one can
// be, and records where replies went; it reports closed when drained.
type fakeConn struct {
	in  []packet
	out []net.Addr
}

func (f *fakeConn) ReadFrom(b []byte) (int, net.Addr, error) {
	if len(f.in) == 0 {
		return 0, nil, net.ErrClosed
	}
	p := f.in[0]
	f.in = f.in[1:]
	return copy(b, p.data), p.from, nil
}

func (f *fakeConn) WriteTo(b []byte, a net.Addr) (int, error) {
	f.out = append(f.out, a)
	return len(b), nil
}

func (f *fakeConn) Close() error                     { return nil }
func (f *fakeConn) LocalAddr() net.Addr              { return &net.UDPAddr{Port: 65001} }
func (f *fakeConn) SetDeadline(time.Time) error      { return nil }
func (f *fakeConn) SetReadDeadline(time.Time) error  { return nil }
func (f *fakeConn) SetWriteDeadline(time.Time) error { return nil }

func udpFrom(ip string) net.Addr { return net.UDPAddrFromAddrPort(netipAddrPort(ip)) }

func jellyfinRequest() []byte {
	b, _ := hex.DecodeString("0002000c0104ffffffff0204ffffffff73cc7d8f")
	return b
}

// fakeDiscovery serves conn with a fixed clock, counting tuner look-ups.
func fakeDiscovery(conn *fakeConn, at *time.Time, lookups *int) *Discovery {
	adverts := AdvertsFor(site, tunerToken, 2, nil)
	return &Discovery{conn: conn, logger: slog.New(slog.DiscardHandler), now: func() time.Time { return *at },
		adverts: func(context.Context) ([]Advert, error) { *lookups++; return adverts, nil }}
}

// TestDiscoveryAnswersOnlyTheLAN: a discover request from (or forged as
// from) an address off the local networks gets no reply, so the tuner's
// secret URL does not go to the internet and a forged source is not sent a
// reply ten times the request's size; the LAN's askers are answered.
func TestDiscoveryAnswersOnlyTheLAN(t *testing.T) {
	req := jellyfinRequest()
	reply := DiscoverReply(AdvertsFor(site, tunerToken, 2, nil)[0])
	t.Logf("amplification: a %d-byte request draws a %d-byte reply (%.1fx)", len(req), len(reply),
		float64(len(reply))/float64(len(req)))
	lan := []string{"192.168.1.20", "10.0.0.3", "172.16.5.5", "127.0.0.1", "fe80::1", "fd00::7", "::ffff:192.168.1.9"}
	far := []string{"198.51.100.7", "8.8.8.8", "100.64.0.1", "2001:db8::1", "::ffff:203.0.113.4", "224.0.0.251"}
	conn := &fakeConn{}
	for _, ip := range append(far, lan...) {
		conn.in = append(conn.in, packet{udpFrom(ip), req})
	}
	at, lookups := time.Unix(1_800_000_000, 0), 0
	fakeDiscovery(conn, &at, &lookups).Serve(t.Context())
	var got []string
	for _, a := range conn.out {
		got = append(got, a.(*net.UDPAddr).AddrPort().Addr().String())
	}
	if len(got) != len(lan) {
		t.Fatalf("replies went to %v, want the local askers %v alone", got, lan)
	}
	for i, ip := range lan {
		if want := netipAddrPort(ip).Addr().String(); got[i] != want {
			t.Errorf("reply %d to %s, want %s", i, got[i], want)
		}
	}
}

// TestDiscoveryRepliesAreCapped: a flood of requests, even from local (or
// forged local) sources, draws at most replyBurst replies at once and
// replyRate a second after that, and as many tuner look-ups.
func TestDiscoveryRepliesAreCapped(t *testing.T) {
	flood := func(n int) *fakeConn {
		c := &fakeConn{}
		for i := 0; i < n; i++ {
			c.in = append(c.in, packet{udpFrom("192.168.7." + strconv.Itoa(1+i%250)), jellyfinRequest()})
		}
		return c
	}
	at, lookups := time.Unix(1_800_000_000, 0), 0
	conn := flood(500)
	d := fakeDiscovery(conn, &at, &lookups)
	d.Serve(t.Context())
	if len(conn.out) != replyBurst || lookups != replyBurst {
		t.Fatalf("500 requests at once: %d replies, %d look-ups; want %d", len(conn.out), lookups, replyBurst)
	}
	at = at.Add(time.Second)
	conn2 := flood(500)
	d.conn = conn2
	d.Serve(t.Context())
	if len(conn2.out) != replyRate {
		t.Fatalf("500 more a second later: %d replies, want %d", len(conn2.out), replyRate)
	}
}

func netipAddrPort(ip string) netip.AddrPort {
	return netip.AddrPortFrom(netip.MustParseAddr(ip), 5004)
}
