// Package rendercache keeps rendered response bodies (playlists, Xtream
// stream lists) in a small bounded LRU, so a player refreshing an unchanged
// line-up is answered from memory instead of re-rendering thousands of
// entries. A body is stored under a key that names everything it was
// rendered from (subscriber id and version, format, base URL...); the
// catalog's version is the generation: when it moves, the whole cache is
// dropped, since any line-up may have changed. The ETag is derived from the
// key, so a client that already holds the body gets 304 without a render.
package rendercache

import (
	"bytes"
	"compress/gzip"
	"container/list"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// Options bound a Cache; zero values take the defaults.
type Options struct {
	MaxEntries int   // default 256
	MaxBytes   int64 // default 64 MiB, counting plain and gzipped bodies
}

// Cache is a bounded LRU of rendered bodies. It is safe for concurrent use.
type Cache struct {
	opts  Options
	mu    sync.Mutex
	gen   uint64
	bytes int64
	order *list.List // of *Entry, most recent first
	items map[string]*list.Element
}

// Entry is a rendered body and its ETag. Entries are immutable once
// published, apart from the gzipped body made on first demand.
type Entry struct {
	key  string
	Body []byte
	ETag string

	gzOnce sync.Once
	gz     []byte
	cache  *Cache
}

// New returns an empty cache.
func New(opts Options) *Cache {
	if opts.MaxEntries <= 0 {
		opts.MaxEntries = 256
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = 64 << 20
	}
	return &Cache{opts: opts, order: list.New(), items: map[string]*list.Element{}}
}

// ETag is the entity tag of whatever is rendered under key.
func ETag(key string) string { return etagOf(sha256.Sum256([]byte(key))) }

// BodyETag is the entity tag of body itself, for answers served without
// the cache (subscriberapi.ServeBytes); it hashes the bytes without
// copying them into a string.
func BodyETag(body []byte) string { return etagOf(sha256.Sum256(body)) }

func etagOf(sum [sha256.Size]byte) string {
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:16]) + `"`
}

// Get returns the body rendered under key in generation gen. A generation
// other than the cache's drops every entry first.
func (c *Cache) Get(gen uint64, key string) (*Entry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.setGen(gen)
	el, ok := c.items[key]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*Entry), true
}

// Put stores body under key in generation gen and returns its entry. A body
// larger than a quarter of MaxBytes is returned but not kept, so one huge
// line-up cannot flush everyone else's. The cache owns body afterwards.
func (c *Cache) Put(gen uint64, key string, body []byte) *Entry {
	e := &Entry{key: key, Body: body, ETag: ETag(key), cache: c}
	size := int64(len(body))
	if size > c.opts.MaxBytes/4 {
		return e
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.setGen(gen)
	if gen != c.gen {
		return e // rendered for an older generation than the cache now holds
	}
	if old, ok := c.items[key]; ok {
		c.remove(old)
	}
	c.items[key] = c.order.PushFront(e)
	c.bytes += size
	for c.order.Len() > c.opts.MaxEntries || c.bytes > c.opts.MaxBytes {
		c.remove(c.order.Back())
	}
	return e
}

// Len is the number of entries held.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

// setGen moves to a newer generation, dropping everything; an older one
// (a request that read the version before a concurrent change) changes
// nothing. Callers hold mu.
func (c *Cache) setGen(gen uint64) {
	if gen <= c.gen {
		return
	}
	c.gen = gen
	c.order.Init()
	clear(c.items)
	c.bytes = 0
}

func (c *Cache) remove(el *list.Element) {
	e := c.order.Remove(el).(*Entry)
	delete(c.items, e.key)
	c.bytes -= int64(len(e.Body)) + int64(len(e.gz))
}

// gzipped returns the body gzipped, compressing it once per entry.
func (e *Entry) gzipped() []byte {
	e.gzOnce.Do(func() {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
		_, _ = zw.Write(e.Body)
		_ = zw.Close()
		e.gz = buf.Bytes()
		c := e.cache
		c.mu.Lock()
		if el, ok := c.items[e.key]; ok && el.Value == e {
			c.bytes += int64(len(e.gz))
		}
		c.mu.Unlock()
	})
	return e.gz
}

// NotModified reports whether r's If-None-Match names etag (weak
// comparison over a list, "*" included).
func NotModified(r *http.Request, etag string) bool {
	inm := r.Header.Get("If-None-Match")
	if inm == "" {
		return false
	}
	for _, t := range strings.Split(inm, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

// AcceptsGzip reports whether r accepts a gzip content coding (q > 0).
func AcceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
			continue
		}
		q, ok := strings.CutPrefix(strings.ReplaceAll(params, " ", ""), "q=")
		if !ok {
			return true
		}
		v, err := strconv.ParseFloat(q, 64)
		return err == nil && v > 0
	}
	return false
}

// Serve answers r with the entry: its ETag, 304 when the client holds it,
// the gzipped body when the client accepts gzip.
func (e *Entry) Serve(w http.ResponseWriter, r *http.Request, contentType string) {
	h := w.Header()
	h.Set("ETag", e.ETag)
	h.Set("Cache-Control", "private, no-cache")
	h.Set("Vary", "Accept-Encoding")
	if NotModified(r, e.ETag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", contentType)
	body := e.Body
	if AcceptsGzip(r) {
		body = e.gzipped()
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}
