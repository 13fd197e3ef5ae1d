package hdhomerun

import (
	"bytes"
	"context"
	"encoding/hex"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"
)

// TestDiscoverReplyBytes: the reply equals the spec's worked example byte
// for byte (§5.1, checklist §9.6), CRC included.
func TestDiscoverReplyBytes(t *testing.T) {
	want, _ := hex.DecodeString(strings.Join(strings.Fields(`00 03 00 43 01 04 00 00 00 01 02 04 10 50 a3 c6 10 01 04 2a 12 68 74 74 70 3a 2f 2f 31 30 2e
30 2e 30 2e 35 3a 38 30 27 1e 68 74 74 70 3a 2f 2f 31 30 2e 30 2e 30 2e 35 3a 38 30 2f 6c 69
6e 65 75 70 2e 6a 73 6f 6e 19 c4 68 12`), ""))
	got := DiscoverReply(Advert{DeviceID: 0x1050A3C6, TunerCount: 4, BaseURL: "http://10.0.0.5:80"})
	if !bytes.Equal(got, want) {
		t.Errorf("reply\n got %x\nwant %x", got, want)
	}
}

// TestParseRequest reads Jellyfin's request (spec §5.1) and refuses a
// packet whose CRC is wrong, a reply, and a truncated TLV.
func TestParseRequest(t *testing.T) {
	jellyfin, _ := hex.DecodeString("0002000c0104ffffffff0204ffffffff73cc7d8f")
	if typ, id, ok := parseRequest(jellyfin); !ok || typ != wildcard || id != wildcard {
		t.Errorf("Jellyfin's request: %x %x %v", typ, id, ok)
	}
	bad := bytes.Clone(jellyfin)
	bad[len(bad)-1] ^= 1
	if _, _, ok := parseRequest(bad); ok {
		t.Error("a bad CRC was accepted")
	}
	if _, _, ok := parseRequest(DiscoverReply(Advert{DeviceID: 0x1050A3C6, BaseURL: "http://x"})); ok {
		t.Error("a reply was taken for a request")
	}
	if _, _, ok := parseRequest(framePacket(typeDiscoverRequest, []byte{tagDeviceID, 4, 1})); ok {
		t.Error("a truncated TLV was accepted")
	}
	long := appendTLV(nil, 0x2A, bytes.Repeat([]byte("a"), 300))
	if _, _, ok := parseRequest(framePacket(typeDiscoverRequest, append(long, appendTLV(nil, tagDeviceID, []byte{0x10, 0x50, 0xA3, 0xC6})...))); !ok {
		t.Error("a request with a two-byte length was refused")
	}
}

// TestDiscoveryServe answers Jellyfin's request with the reply bytes,
// unicast to the asker, and ignores a request for another device id.
func TestDiscoveryServe(t *testing.T) {
	advert := Advert{DeviceID: DeviceID(tunerToken), TunerCount: 2, BaseURL: BaseURL(site, tunerToken)}
	conn := serveDiscovery(t, []Advert{advert})
	jellyfin, _ := hex.DecodeString("0002000c0104ffffffff0204ffffffff73cc7d8f")
	if _, err := conn.Write(jellyfin); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 1500)
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, err := conn.Read(buf)
	if err != nil || !bytes.Equal(buf[:n], DiscoverReply(advert)) {
		t.Fatalf("reply %x, %v; want %x", buf[:n], err, DiscoverReply(advert))
	}
	other := framePacket(typeDiscoverRequest, appendTLV(appendTLV(nil, tagDeviceType, []byte{0, 0, 0, 1}),
		tagDeviceID, []byte{0x10, 0x50, 0xA3, 0xC6}))
	if _, err := conn.Write(other); err != nil {
		t.Fatal(err)
	}
	conn.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
	if n, err := conn.Read(buf); err == nil {
		t.Errorf("a request for another device got a %d-byte answer", n)
	}
}

// serveDiscovery answers discovery with adverts on a free port until the
// test ends, and returns a connection to it.
func serveDiscovery(t *testing.T, adverts []Advert) net.Conn {
	t.Helper()
	d, err := ListenDiscovery("127.0.0.1:0", func(context.Context) ([]Advert, error) { return adverts, nil },
		slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go d.Serve(ctx)
	conn, err := net.Dial("udp4", d.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}
