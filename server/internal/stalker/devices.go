package stalker

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"strconv"
	"strings"
	"sync"
	"time"

	"canale/server/internal/store"
	"canale/shared/api"
)

// deviceCache keeps the portal devices boxes call with in memory, so a
// channel-list page or a create_link does not read the devices table: a
// box scrolling its list asks for a page per keypress. It is kept current
// the way the catalog is: an operator's change of a device (lock, reset,
// delete), from any instance, arrives as a change event and drops the
// entry (Notify), so the next call reads the row again and a removed or
// re-locked device is refused at once.
//
// The box's own writes (session token, favourites, last channel) are made
// through the cache, which updates its entry after the database. They are
// telemetry and announce no change, so another instance learns them when
// its entry is older than maxAge, or at once for the session token: a
// token that does not match the cached one reads the row again before the
// call is refused (a box whose profile ran on another instance).
//
// Unknown MACs are never cached: the scan guard counts them instead, and a
// device created later must be found at once.
type deviceCache struct {
	src    Devices
	now    func() time.Time
	maxAge time.Duration

	mu    sync.RWMutex
	byMAC map[string]cachedDevice
	macOf map[int64]string // device id -> MAC, for events that name the id
	// gen moves on every Notify; a read from the database that began
	// before it is not stored, so an event cannot be undone by a slow read.
	gen uint64
}

type cachedDevice struct {
	mac    string // the key, as the box sends it
	dev    store.PortalDevice
	loaded time.Time
	// token is the session token last found to hash to tokenHash: while
	// that is still dev.TokenHash, a call's token is compared with it
	// rather than hashed again.
	token     string
	tokenHash []byte
}

// deviceMaxAge bounds how stale a box's favourites or last channel written
// on another instance may be here; operators' changes do not wait for it.
const deviceMaxAge = 30 * time.Second

func newDeviceCache(src Devices, now func() time.Time) *deviceCache {
	return &deviceCache{src: src, now: now, maxAge: deviceMaxAge, byMAC: map[string]cachedDevice{},
		macOf: map[int64]string{}}
}

// find returns the device with mac, from memory when the entry is young
// enough at now, with the session token known to be its own ("" when none is);
// fresh reports that it was read from the database just now.
func (d *deviceCache) find(ctx context.Context, mac string, now time.Time) (dev store.PortalDevice, known string, fresh bool, err error) {
	d.mu.RLock()
	e, ok := d.byMAC[mac]
	d.mu.RUnlock()
	if ok && now.Sub(e.loaded) < d.maxAge {
		if e.token != "" && bytes.Equal(e.tokenHash, e.dev.TokenHash) {
			known = e.token
		}
		return e.dev, known, false, nil
	}
	dev, err = d.load(ctx, mac)
	return dev, "", true, err
}

// tokenValid reports whether token is dev's unexpired session token, in
// constant time: by comparing it with known, the token that hashed to
// dev's before, else by its SHA-256, remembering it when it matches.
func (d *deviceCache) tokenValid(mac string, dev store.PortalDevice, known, token string, now time.Time) bool {
	if len(dev.TokenHash) == 0 || !now.Before(dev.TokenExpiresAt) {
		return false
	}
	if known != "" {
		return subtle.ConstantTimeCompare([]byte(known), []byte(token)) == 1
	}
	sum := sha256.Sum256([]byte(token))
	if subtle.ConstantTimeCompare(sum[:], dev.TokenHash) != 1 {
		return false
	}
	d.mu.Lock()
	if e, ok := d.byMAC[mac]; ok && bytes.Equal(e.dev.TokenHash, dev.TokenHash) {
		e.token, e.tokenHash = strings.Clone(token), e.dev.TokenHash
		d.byMAC[mac] = e
	}
	d.mu.Unlock()
	return true
}

// macString is mac as a string: the cached device's own when there is
// one, so a call of a known box builds none.
func (d *deviceCache) macString(mac []byte) string {
	d.mu.RLock()
	e, ok := d.byMAC[string(mac)]
	d.mu.RUnlock()
	if ok {
		return e.mac
	}
	return string(mac)
}

// load reads the device from the database and caches it; CodeNotFound
// drops any entry.
func (d *deviceCache) load(ctx context.Context, mac string) (store.PortalDevice, error) {
	d.mu.RLock()
	gen := d.gen
	d.mu.RUnlock()
	dev, err := d.src.FindPortalDevice(ctx, mac)
	d.mu.Lock()
	defer d.mu.Unlock()
	switch {
	case err == nil && gen == d.gen:
		if old, ok := d.byMAC[mac]; ok && old.dev.ID != dev.ID {
			delete(d.macOf, old.dev.ID)
		}
		d.byMAC[mac] = cachedDevice{mac: mac, dev: dev, loaded: d.now()}
		d.macOf[dev.ID] = mac
	case api.ErrorCode(err) == api.CodeNotFound:
		d.dropLocked(mac)
	}
	return dev, err
}

// update applies a write the box made to its cached entry, if any.
func (d *deviceCache) update(id int64, fn func(*store.PortalDevice)) {
	d.mu.Lock()
	defer d.mu.Unlock()
	mac, ok := d.macOf[id]
	if !ok {
		return
	}
	e := d.byMAC[mac]
	fn(&e.dev)
	d.byMAC[mac] = e
}

func (d *deviceCache) setToken(ctx context.Context, id int64, token string, expires time.Time) error {
	if err := d.src.SetDeviceToken(ctx, id, token, expires); err != nil {
		return err
	}
	sum := sha256.Sum256([]byte(token))
	d.update(id, func(p *store.PortalDevice) { p.TokenHash, p.TokenExpiresAt = sum[:], expires })
	return nil
}

func (d *deviceCache) touch(ctx context.Context, id int64, ip string, expires time.Time) error {
	if err := d.src.TouchDevice(ctx, id, ip, expires); err != nil {
		return err
	}
	d.update(id, func(p *store.PortalDevice) { p.TokenExpiresAt, p.LastIP = expires, ip })
	return nil
}

func (d *deviceCache) setFavourites(ctx context.Context, id int64, ids []int64) error {
	if err := d.src.SetDeviceFavourites(ctx, id, ids); err != nil {
		return err
	}
	d.update(id, func(p *store.PortalDevice) { p.Favourites = ids }) // a new slice: readers hold the old one
	return nil
}

func (d *deviceCache) setLastChannel(ctx context.Context, id, channelID int64) error {
	if err := d.src.SetDeviceLastChannel(ctx, id, channelID); err != nil {
		return err
	}
	d.update(id, func(p *store.PortalDevice) { p.LastChannelID = channelID })
	return nil
}

// Notify applies a committed change (from any instance): a device's change
// drops its entry, a reset or bulk change drops them all. Subscribers'
// changes need nothing here: the session reads the subscriber from the
// read model on every call.
func (d *deviceCache) Notify(c api.Change) {
	if c.Entity != api.EntityDevice && c.Entity != api.EntityAll {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.gen++
	id, err := strconv.ParseInt(c.ID, 10, 64)
	if c.Entity == api.EntityAll || err != nil {
		d.byMAC, d.macOf = map[string]cachedDevice{}, map[int64]string{}
		return
	}
	if mac, ok := d.macOf[id]; ok {
		d.dropLocked(mac)
	}
}

func (d *deviceCache) dropLocked(mac string) {
	if e, ok := d.byMAC[mac]; ok {
		delete(d.macOf, e.dev.ID)
		delete(d.byMAC, mac)
	}
}
