package adminapi

import (
	"strconv"
	"sync"

	"canale/shared/api"
)

// maxLogoCacheBytes bounds the images kept in memory; past it, logos are
// served from the database as before, which a few thousand channels'
// logos of a few KiB never reach.
const maxLogoCacheBytes = 64 << 20

// logoCache keeps what GET /logos/{id} answers for each existing channel,
// so players and apps refreshing logos never reach the database. An entry
// is dropped when its channel changes: at once on the instance that made the
// change (its write handlers), and on every instance through the committed
// change (ForgetLogos). Only channels that exist get entries, so unknown ids
// cannot grow it.
type logoCache struct {
	mu      sync.Mutex
	gen     uint64 // moves on every forget, so a load that raced one is not kept
	bytes   int64
	entries map[int64]logoEntry
}

// logoEntry is one channel's answer: its uploaded image, else a redirect to
// its logo_url, else (both empty) 404.
type logoEntry struct {
	contentType string
	data        []byte
	etag        string
	redirect    string
}

// get returns id's entry, or the generation to pass to put after loading it.
func (c *logoCache) get(id int64) (logoEntry, uint64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[id]
	return e, c.gen, ok
}

// put keeps e for id unless a forget came since get returned gen.
func (c *logoCache) put(gen uint64, id int64, e logoEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen || c.bytes+int64(len(e.data)) > maxLogoCacheBytes {
		return
	}
	if c.entries == nil {
		c.entries = map[int64]logoEntry{}
	}
	c.bytes += int64(len(e.data)) - int64(len(c.entries[id].data))
	c.entries[id] = e
}

// forget drops id's entry; id 0 drops them all.
func (c *logoCache) forget(id int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	if id == 0 {
		c.entries, c.bytes = nil, 0
		return
	}
	c.bytes -= int64(len(c.entries[id].data))
	delete(c.entries, id)
}

// ForgetLogos drops the cached logos that a committed change may have
// altered; the app calls it for every change any instance makes.
func (a *API) ForgetLogos(c api.Change) {
	switch {
	case c.Entity == api.EntityChannel && c.ID != "":
		if id, err := strconv.ParseInt(c.ID, 10, 64); err == nil && id != 0 {
			a.logos.forget(id)
		}
	case c.Entity == api.EntityChannel || c.Entity == api.EntityAll:
		a.logos.forget(0)
	}
}
