package playauth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"hash"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"canale/server/internal/catalog"
)

// A minted link token is what the Stalker portal's create_link puts in a
// stream URL instead of the subscriber's long-lived token (stalker.md §5.3):
// it names one subscriber, device and channel, is bound to the address that
// asked for it, and must be first used before it expires. It is signed, not
// stored, so every instance (and the streamers' auth calls to any of them)
// can check it without a database round trip; the key is derived from the
// streamer secret, so rotating that secret voids every minted link.
//
// Form: m1.<subscriber>.<device>.<channel>.<expiry unix>.<signature>.
const mintedPrefix = "m1."

// MintedLink is what a minted token grants.
type MintedLink struct {
	// ChannelID is the live channel; a negative one is the movie or
	// episode -ChannelID, whose stream name is File.
	SubscriberID, DeviceID, ChannelID int64
	Expires                           time.Time
	// File binds an on-demand link to the file it was minted for: it is
	// signed but not carried, since the streamer's auth call names the
	// file, so a link opens no other file even where a movie and an
	// episode share an id.
	File string
}

// MintLink signs l for a viewer at address, with the installation's
// streamer secret.
func MintLink(secret string, l MintedLink, address string) string {
	return string(AppendMintLink(nil, secret, l, address))
}

// AppendMintLink appends MintLink's token to dst, so create_link (one on
// every zap) writes it straight into its answer.
func AppendMintLink(dst []byte, secret string, l MintedLink, address string) []byte {
	start := len(dst)
	dst = append(dst, mintedPrefix...)
	dst = strconv.AppendInt(dst, l.SubscriberID, 10)
	dst = append(dst, '.')
	dst = strconv.AppendInt(dst, l.DeviceID, 10)
	dst = append(dst, '.')
	dst = strconv.AppendInt(dst, l.ChannelID, 10)
	dst = append(dst, '.')
	dst = strconv.AppendInt(dst, l.Expires.Unix(), 10)
	body := dst[start:]
	return appendMintedSignature(append(dst, '.'), secret, body, address, signedFile(l.ChannelID, l.File))
}

// signedFile is what a link's signature binds besides its text: the file
// of an on-demand link, nothing for a live channel's (whose id names it).
func signedFile(channelID int64, file string) string {
	if channelID < 0 {
		return file
	}
	return ""
}

// appendMintedSignature appends the signature of body for a viewer at
// address (and file) to dst: HMAC-SHA-256 over body, the address as every
// limit keys it (an IPv6 /64) and the file, its first 18 bytes in
// unpadded base64url.
func appendMintedSignature(dst []byte, secret string, body []byte, address, file string) []byte {
	p := mintedMACsFor(secret)
	m := p.macs.Get().(*mintedMAC)
	dst = m.appendSignature(dst, body, address, file)
	p.macs.Put(m)
	return dst
}

// appendSignature is appendMintedSignature with m's HMAC and buffer.
func (m *mintedMAC) appendSignature(dst, body []byte, address, file string) []byte {
	m.h.Reset()
	m.h.Write(body)
	b := append(m.buf[:0], 0)
	b = appendAddressKey(b, address)
	if file != "" {
		b = append(b, 0)
		b = append(b, file...)
	}
	m.h.Write(b)
	b = m.h.Sum(b[:0])
	dst = base64.RawURLEncoding.AppendEncode(dst, b[:18])
	m.buf = b[:0]
	return dst
}

// mintedMAC is a keyed HMAC with a buffer of its own: what is written to
// an interface's method escapes, so a buffer on the stack would be
// allocated anew on every link.
type mintedMAC struct {
	h   hash.Hash
	buf []byte
}

// appendAddressKey appends ratelimit.AddressKey(address) to dst without
// building the string.
func appendAddressKey(dst []byte, address string) []byte {
	ip, err := netip.ParseAddr(address)
	switch {
	case err != nil:
		sum := sha256.Sum256([]byte(address))
		return append(dst, sum[:]...)
	case ip.Is4In6():
		return ip.Unmap().AppendTo(dst)
	case ip.Is6():
		p, _ := ip.WithZone("").Prefix(64)
		return p.AppendTo(dst)
	}
	return ip.AppendTo(dst)
}

// mintedMACs are keyed HMACs of one secret, reset and reused: deriving the
// key and its pads was most of what a zap's create_link cost, and the
// secret changes only when an operator rotates it.
type mintedMACs struct {
	secret string
	macs   sync.Pool
}

// lastMintedMACs holds the HMACs of the secret last used; it is a cache
// of a pure function of the secret, so sharing it across instances of the
// package's callers changes no answer.
var lastMintedMACs atomic.Pointer[mintedMACs]

func mintedMACsFor(secret string) *mintedMACs {
	if p := lastMintedMACs.Load(); p != nil && p.secret == secret {
		return p
	}
	key := sha256.Sum256([]byte("canale minted link\x00" + secret))
	p := &mintedMACs{secret: secret}
	p.macs.New = func() any { return &mintedMAC{h: hmac.New(sha256.New, key[:]), buf: make([]byte, 0, 128)} }
	lastMintedMACs.Store(p)
	return p
}

// parseMinted checks a minted token's signature for a viewer at address
// asking for the stream or file name. The expiry is the caller's to judge:
// a session admitted in time lives on.
func parseMinted(secret, token, address, name string) (MintedLink, bool) {
	if secret == "" || !strings.HasPrefix(token, mintedPrefix) {
		return MintedLink{}, false
	}
	i := strings.LastIndexByte(token, '.')
	body, sig := token[:i], token[i+1:]
	parts := strings.Split(strings.TrimPrefix(body, mintedPrefix), ".")
	if len(parts) != 4 {
		return MintedLink{}, false
	}
	var n [4]int64
	for k, p := range parts {
		v, err := strconv.ParseInt(p, 10, 64)
		if err != nil {
			return MintedLink{}, false
		}
		n[k] = v
	}
	l := MintedLink{SubscriberID: n[0], DeviceID: n[1], ChannelID: n[2], Expires: time.Unix(n[3], 0),
		File: signedFile(n[2], name)}
	if !hmac.Equal([]byte(sig), appendMintedSignature(nil, secret, []byte(body), address, l.File)) {
		return MintedLink{}, false
	}
	return l, true
}

// lookupMinted resolves a minted token to its subscriber, for a viewer at
// r.IP. A token past its expiry still renews the session it opened (the
// streamer re-asks with the same URL), and opens no other.
func (s *Service) lookupMinted(r Request, now time.Time, sub *catalog.Subscriber) (channelID int64, ok bool) {
	l, ok := parseMinted(s.Catalog.Settings().StreamerSecret, r.Token, r.IP, r.Name)
	if !ok {
		return 0, false
	}
	found, ok := s.Catalog.SubscriberByID(l.SubscriberID)
	if !ok {
		return 0, false
	}
	if !now.Before(l.Expires) && !s.sessions.liveSession(l.SubscriberID, sessionID(&r), now) {
		return 0, false
	}
	*sub = *found
	return l.ChannelID, true
}
