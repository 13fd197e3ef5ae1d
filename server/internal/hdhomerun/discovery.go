package hdhomerun

import (
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"log/slog"
	"net"
	"net/netip"
	"time"
)

// SiliconDust discovery protocol (UDP 65001, spec §5.1): packet types and
// the tags Canale reads or writes.
const (
	typeDiscoverRequest = 0x0002
	typeDiscoverReply   = 0x0003

	tagDeviceType = 0x01
	tagDeviceID   = 0x02
	tagTunerCount = 0x10
	tagLineupURL  = 0x27
	tagBaseURL    = 0x2A

	deviceTypeTuner = 0x00000001
	wildcard        = 0xFFFFFFFF
)

// Advert is the tuner a discovery reply describes.
type Advert struct {
	DeviceID   uint32
	TunerCount int
	BaseURL    string // absolute, no trailing slash
}

// MaxPackageAdverts bounds how many per-package tuners one subscriber
// announces besides its whole tuner. A discover request is a broadcast
// whose source nobody checks, and every tuner answers it with its own
// packet, so the bound caps the answers to one request at 16 packets of
// about 250 bytes, whatever the subscriber holds (an imported XC line may
// hold dozens of bouquets). It also leaves room for a household's real
// tuners in clients that keep a fixed list: hdhomerun_config keeps 64
// devices per discovery.
const MaxPackageAdverts = 15

// AdvertsFor are the tuners of token under Canale's external URL site, as
// their discover.json describe them: the whole line-up's first, then one
// per package in packageIDs' order, at most MaxPackageAdverts of them.
func AdvertsFor(site, token string, maxSessions int, packageIDs []int64) []Advert {
	packageIDs = packageIDs[:min(len(packageIDs), MaxPackageAdverts)]
	out := make([]Advert, 0, 1+len(packageIDs))
	eachTuner(site, token, packageIDs, func(_ *int64, key, url string) {
		out = append(out, Advert{DeviceID: DeviceID(key), TunerCount: tunerCount(maxSessions), BaseURL: url})
	})
	return out
}

// DiscoverReply encodes the reply packet for a: device type tuner, id,
// tuner count, base URL and lineup URL, then the CRC-32 little-endian.
func DiscoverReply(a Advert) []byte {
	var payload []byte
	payload = appendTLV(payload, tagDeviceType, binary.BigEndian.AppendUint32(nil, deviceTypeTuner))
	payload = appendTLV(payload, tagDeviceID, binary.BigEndian.AppendUint32(nil, a.DeviceID))
	payload = appendTLV(payload, tagTunerCount, []byte{byte(min(max(a.TunerCount, 1), 255))})
	payload = appendTLV(payload, tagBaseURL, []byte(a.BaseURL))
	payload = appendTLV(payload, tagLineupURL, []byte(a.BaseURL+"/lineup.json"))
	return framePacket(typeDiscoverReply, payload)
}

func framePacket(typ uint16, payload []byte) []byte {
	pkt := binary.BigEndian.AppendUint16(nil, typ)
	pkt = binary.BigEndian.AppendUint16(pkt, uint16(len(payload)))
	pkt = append(pkt, payload...)
	return binary.LittleEndian.AppendUint32(pkt, crc32.ChecksumIEEE(pkt))
}

// appendTLV writes a tag, its length (one byte below 128, else two: the low
// seven bits with the top bit set, then the rest) and the value.
func appendTLV(b []byte, tag byte, value []byte) []byte {
	b = append(b, tag)
	if n := len(value); n < 128 {
		b = append(b, byte(n))
	} else {
		b = append(b, byte(n&0x7F)|0x80, byte(n>>7))
	}
	return append(b, value...)
}

// parseRequest reads a discover request's wanted device type and id
// (wildcard when absent). ok is false for anything else, a bad CRC included.
func parseRequest(pkt []byte) (devType, devID uint32, ok bool) {
	if len(pkt) < 8 {
		return 0, 0, false
	}
	body, sum := pkt[:len(pkt)-4], binary.LittleEndian.Uint32(pkt[len(pkt)-4:])
	if crc32.ChecksumIEEE(body) != sum || binary.BigEndian.Uint16(body) != typeDiscoverRequest ||
		int(binary.BigEndian.Uint16(body[2:])) != len(body)-4 {
		return 0, 0, false
	}
	devType, devID = wildcard, wildcard
	for p := body[4:]; len(p) >= 2; {
		tag, n, hdr := p[0], int(p[1]), 2
		if n&0x80 != 0 {
			if len(p) < 3 {
				return 0, 0, false
			}
			n, hdr = n&0x7F|int(p[2])<<7, 3
		}
		if len(p) < hdr+n {
			return 0, 0, false
		}
		v := p[hdr : hdr+n]
		switch {
		case tag == tagDeviceType && n == 4:
			devType = binary.BigEndian.Uint32(v)
		case tag == tagDeviceID && n == 4:
			devID = binary.BigEndian.Uint32(v)
		}
		p = p[hdr+n:]
	}
	return devType, devID, true
}

// Discovery answers discover requests on UDP 65001 for the tuners of one
// subscriber, the operator's "default household" of a single-household
// deployment (its whole tuner and its per-package ones, see AdvertsFor):
// each tuner's reply is unicast to the asker, and a request naming another
// device type or id gets none. Off unless configured
// (CANALE_TUNER_DISCOVERY_LOGIN): the replies give away the tuners' URLs
// to anyone on the network who asks.
//
// Only askers on a local network are answered (localSource), and replies
// are capped per second (replyBucket): UDP sources are forged at will, and
// a 20-byte request draws a reply ten times its size carrying the tuner's
// secret URL, so an open responder would hand that URL to the internet and
// reflect floods at whatever address a request names as its source.
type Discovery struct {
	conn    net.PacketConn
	adverts func(ctx context.Context) ([]Advert, error)
	logger  *slog.Logger
	replies replyBucket
	now     func() time.Time
}

// localSource reports whether a request comes from where LAN discovery
// lives: a private, loopback or link-local address. Media servers find a
// tuner on their own network; anyone farther off adds it by URL.
func localSource(a net.Addr) bool {
	u, ok := a.(*net.UDPAddr)
	if !ok {
		return false
	}
	ip, ok := netip.AddrFromSlice(u.IP)
	if !ok {
		return false
	}
	ip = ip.Unmap()
	return ip.IsPrivate() || ip.IsLoopback() || ip.IsLinkLocalUnicast()
}

// Discovery replies are limited to replyRate a second, in bursts of up to
// replyBurst: a media server sends a handful of requests when it looks for
// tuners; a flood gets no more than this, and costs no more look-ups.
const (
	replyRate  = 10
	replyBurst = 20
)

// replyBucket is a token bucket of replies; Serve's one goroutine uses it.
type replyBucket struct {
	tokens float64
	last   time.Time
}

// take spends a reply if one is left at now.
func (b *replyBucket) take(now time.Time) bool {
	if b.last.IsZero() {
		b.tokens = replyBurst
	} else {
		b.tokens = min(replyBurst, b.tokens+now.Sub(b.last).Seconds()*replyRate)
	}
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// ListenDiscovery binds addr (e.g. ":65001"); adverts says which tuners to
// describe, looked up on each request so a reset token or a package
// taken away is answered at once.
func ListenDiscovery(addr string, adverts func(ctx context.Context) ([]Advert, error), logger *slog.Logger) (*Discovery, error) {
	conn, err := net.ListenPacket("udp4", addr)
	if err != nil {
		return nil, err
	}
	return &Discovery{conn: conn, adverts: adverts, logger: logger, now: time.Now}, nil
}

// Addr is the bound address.
func (d *Discovery) Addr() net.Addr { return d.conn.LocalAddr() }

// Serve answers until ctx ends, then closes the socket.
func (d *Discovery) Serve(ctx context.Context) {
	stop := context.AfterFunc(ctx, func() { d.conn.Close() })
	defer stop()
	buf := make([]byte, 1500)
	for {
		n, from, err := d.conn.ReadFrom(buf)
		if err != nil {
			if ctx.Err() == nil && !errors.Is(err, net.ErrClosed) {
				d.logger.Error("tuner discovery stopped", "error", err)
			}
			return
		}
		if !localSource(from) {
			continue
		}
		devType, devID, ok := parseRequest(buf[:n])
		if !ok || (devType != wildcard && devType != deviceTypeTuner) || !d.replies.take(d.now()) {
			continue
		}
		adverts, err := d.adverts(ctx)
		if err != nil {
			d.logger.Warn("tuner discovery: no tuner to advertise", "error", err)
			continue
		}
		d.reply(adverts, devID, from)
	}
}

// reply answers from with each advert the request's device id asks for.
func (d *Discovery) reply(adverts []Advert, devID uint32, from net.Addr) {
	for _, a := range adverts {
		if devID != wildcard && devID != a.DeviceID {
			continue
		}
		if _, err := d.conn.WriteTo(DiscoverReply(a), from); err != nil {
			d.logger.Warn("tuner discovery reply", "to", from.String(), "error", err)
			return
		}
	}
}
