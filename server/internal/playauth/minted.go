package playauth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"hash"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"canale/server/internal/catalog"
	"canale/server/internal/ratelimit"
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
	SubscriberID, DeviceID, ChannelID int64
	Expires                           time.Time
}

// MintLink signs l for a viewer at address, with the installation's
// streamer secret.
func MintLink(secret string, l MintedLink, address string) string {
	body := mintedPrefix + strconv.FormatInt(l.SubscriberID, 10) + "." + strconv.FormatInt(l.DeviceID, 10) + "." +
		strconv.FormatInt(l.ChannelID, 10) + "." + strconv.FormatInt(l.Expires.Unix(), 10)
	return body + "." + mintedSignature(secret, body, address)
}

func mintedSignature(secret, body, address string) string {
	p := mintedMACsFor(secret)
	m := p.macs.Get().(hash.Hash)
	m.Reset()
	m.Write([]byte(body))
	m.Write([]byte{0})
	m.Write([]byte(ratelimit.AddressKey(address)))
	var sum [sha256.Size]byte
	sig := base64.RawURLEncoding.EncodeToString(m.Sum(sum[:0])[:18])
	p.macs.Put(m)
	return sig
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
	p.macs.New = func() any { return hmac.New(sha256.New, key[:]) }
	lastMintedMACs.Store(p)
	return p
}

// parseMinted checks a minted token's signature for a viewer at address.
// The expiry is the caller's to judge: a session admitted in time lives on.
func parseMinted(secret, token, address string) (MintedLink, bool) {
	if secret == "" || !strings.HasPrefix(token, mintedPrefix) {
		return MintedLink{}, false
	}
	i := strings.LastIndexByte(token, '.')
	body, sig := token[:i], token[i+1:]
	parts := strings.Split(strings.TrimPrefix(body, mintedPrefix), ".")
	if len(parts) != 4 || !hmac.Equal([]byte(sig), []byte(mintedSignature(secret, body, address))) {
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
	return MintedLink{SubscriberID: n[0], DeviceID: n[1], ChannelID: n[2], Expires: time.Unix(n[3], 0)}, true
}

// lookupMinted resolves a minted token to its subscriber, for a viewer at
// r.IP. A token past its expiry still renews the session it opened (the
// streamer re-asks with the same URL), and opens no other.
func (s *Service) lookupMinted(r Request, now time.Time, sub *catalog.Subscriber) (channelID int64, ok bool) {
	l, ok := parseMinted(s.Catalog.Settings().StreamerSecret, r.Token, r.IP)
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
