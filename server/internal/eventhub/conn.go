package eventhub

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// conn is one socket. The writer goroutine owns every write except the close
// frame, which close asks it to send by closing done.
type conn struct {
	owner SocketOwner
	ws    *websocket.Conn
	send  chan []byte

	once        sync.Once
	done        chan struct{}
	closeCode   int
	closeReason string
}

// close asks the writer to send a close frame with code and reason and hang
// up. Only the first call counts.
func (c *conn) close(code int, reason string) {
	c.once.Do(func() {
		c.closeCode, c.closeReason = code, reason
		close(c.done)
	})
}

// Serve upgrades the request to a websocket for owner and streams events to it
// until either side closes. It blocks for the life of the socket, so the
// handler that calls it keeps its request until the end. On a failed upgrade
// it has already answered with an HTTP error.
//
// The socket joins the hub before the upgrade answers, so every event
// published after the client sees "101 Switching Protocols" reaches it: a
// client that loads its screens once connected misses nothing in between.
// Until the writer starts, events wait in the send buffer.
func (h *Hub) Serve(w http.ResponseWriter, r *http.Request, owner SocketOwner) {
	c := &conn{owner: owner, send: make(chan []byte, h.opt.SendBuffer), done: make(chan struct{})}
	h.add(c)
	ws, err := h.upgrader.Upgrade(w, r, nil)
	if err != nil {
		h.remove(c)
		h.opt.Logger.Debug("event socket upgrade failed", "error", err, "admin_id", owner.AdminID)
		return
	}
	c.ws = ws
	h.opt.Logger.Debug("event socket opened", "admin_id", owner.AdminID)
	writerDone := make(chan struct{})
	go func() { defer close(writerDone); h.write(c) }()
	h.read(c)
	h.remove(c)
	c.close(websocket.CloseNormalClosure, "")
	<-writerDone
	h.opt.Logger.Debug("event socket closed", "admin_id", owner.AdminID)
}

// read discards what the client sends (it has nothing to say) and notices
// pongs and close frames; any error, including a missed pong, ends it.
func (h *Hub) read(c *conn) {
	c.ws.SetReadLimit(4096)
	_ = c.ws.SetReadDeadline(time.Now().Add(h.opt.PongWait))
	c.ws.SetPongHandler(func(string) error {
		return c.ws.SetReadDeadline(time.Now().Add(h.opt.PongWait))
	})
	for {
		if _, _, err := c.ws.NextReader(); err != nil {
			return
		}
	}
}

// write sends queued events and pings, and closes the socket when asked to
// or when the token expires.
func (h *Hub) write(c *conn) {
	defer c.ws.Close()
	ping := time.NewTicker(h.opt.PingInterval)
	defer ping.Stop()
	var expired <-chan time.Time
	if !c.owner.Expires.IsZero() {
		t := time.NewTimer(time.Until(c.owner.Expires))
		defer t.Stop()
		expired = t.C
	}
	for {
		select {
		case b := <-c.send:
			_ = c.ws.SetWriteDeadline(time.Now().Add(h.opt.WriteWait))
			if err := c.ws.WriteMessage(websocket.TextMessage, b); err != nil {
				return
			}
		case <-ping.C:
			if err := c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(h.opt.WriteWait)); err != nil {
				return
			}
		case <-expired:
			h.remove(c)
			c.close(websocket.ClosePolicyViolation, "token expired: sign in again")
		case <-c.done:
			msg := websocket.FormatCloseMessage(c.closeCode, c.closeReason)
			_ = c.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(h.opt.WriteWait))
			return
		}
	}
}

// SameOrigin allows requests without an Origin header (the desktop app is
// not a browser and sends none) and browser requests from the server's own
// origin; it refuses other origins, so a web page cannot open the stream
// with credentials it happens to hold.
func SameOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil {
		return false
	}
	return strings.EqualFold(u.Host, r.Host)
}
