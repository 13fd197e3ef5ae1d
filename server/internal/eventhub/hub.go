// Package eventhub fans events out to the desktop apps connected to this
// instance over the /api/v1/events websocket. Each socket has one reader
// goroutine (pongs, close) and one writer goroutine (events, pings), and a
// bounded send buffer: a client that cannot keep up is dropped rather than
// allowed to stall Publish. Sockets are indexed by admin and token, so a
// logout or a re-key closes exactly the sockets it should.
package eventhub

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"sync"
	"time"

	"canale/shared/api"

	"github.com/gorilla/websocket"
)

// Options tune the hub; zero values take the defaults.
type Options struct {
	Logger       *slog.Logger
	SendBuffer   int           // events queued per socket before it is dropped; default 64
	PingInterval time.Duration // how often the writer pings; default 30s
	PongWait     time.Duration // how long the reader waits for any frame; default 2×PingInterval
	WriteWait    time.Duration // deadline of one write; default 10s
}

// SocketOwner is who a socket belongs to (not a subscriber of the IPTV
// service: an admin of the desktop app): the admin, the hash of the bearer
// token it was opened with, and when that token expires (zero: never).
type SocketOwner struct {
	AdminID   int64
	TokenHash []byte
	Expires   time.Time
}

// Hub is the set of connected sockets. It is safe for concurrent use.
type Hub struct {
	opt      Options
	upgrader websocket.Upgrader

	mu      sync.Mutex
	byAdmin map[int64]map[*conn]struct{}
}

// New returns an empty hub.
func New(o Options) *Hub {
	if o.SendBuffer <= 0 {
		o.SendBuffer = 64
	}
	if o.PingInterval <= 0 {
		o.PingInterval = 30 * time.Second
	}
	if o.PongWait <= 0 {
		o.PongWait = 2 * o.PingInterval
	}
	if o.WriteWait <= 0 {
		o.WriteWait = 10 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return &Hub{
		opt:      o,
		upgrader: websocket.Upgrader{CheckOrigin: SameOrigin, ReadBufferSize: 1024, WriteBufferSize: 4096},
		byAdmin:  map[int64]map[*conn]struct{}{},
	}
}

// Publish sends e to every connected socket without waiting for any of them.
// A socket whose buffer is full is closed: its app reconnects and reloads,
// which is better than a stale screen or a hub held up by one slow link.
func (h *Hub) Publish(e api.Event) {
	b, err := json.Marshal(e)
	if err != nil {
		h.opt.Logger.Error("encode event", "error", err, "event_type", e.Type)
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, set := range h.byAdmin {
		for c := range set {
			select {
			case c.send <- b:
			default:
				h.removeLocked(c)
				c.close(websocket.CloseTryAgainLater, "too slow: reconnect and reload")
				h.opt.Logger.Warn("dropped slow event client", "admin_id", c.owner.AdminID)
			}
		}
	}
}

// CloseToken closes the sockets opened with the token whose hash is
// tokenHash (after a logout).
func (h *Hub) CloseToken(adminID int64, tokenHash []byte) {
	h.closeWhere(adminID, func(c *conn) bool { return bytes.Equal(c.owner.TokenHash, tokenHash) }, "signed out")
}

// CloseAdmin closes every socket of the admin (after a re-key or when the
// account is disabled).
func (h *Hub) CloseAdmin(adminID int64) {
	h.closeWhere(adminID, func(*conn) bool { return true }, "credentials changed: sign in again")
}

// CloseAll closes every socket with "going away", as the server does when it
// shuts down; the apps reconnect to another instance or when it is back.
func (h *Hub) CloseAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, set := range h.byAdmin {
		for c := range set {
			h.removeLocked(c)
			c.close(websocket.CloseGoingAway, "server shutting down")
		}
	}
}

// Count returns how many sockets are connected.
func (h *Hub) Count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, set := range h.byAdmin {
		n += len(set)
	}
	return n
}

func (h *Hub) closeWhere(adminID int64, match func(*conn) bool, reason string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.byAdmin[adminID] {
		if match(c) {
			h.removeLocked(c)
			c.close(websocket.ClosePolicyViolation, reason)
		}
	}
}

func (h *Hub) add(c *conn) {
	h.mu.Lock()
	defer h.mu.Unlock()
	set := h.byAdmin[c.owner.AdminID]
	if set == nil {
		set = map[*conn]struct{}{}
		h.byAdmin[c.owner.AdminID] = set
	}
	set[c] = struct{}{}
}

func (h *Hub) remove(c *conn) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.removeLocked(c)
}

func (h *Hub) removeLocked(c *conn) {
	set := h.byAdmin[c.owner.AdminID]
	delete(set, c)
	if len(set) == 0 {
		delete(h.byAdmin, c.owner.AdminID)
	}
}
