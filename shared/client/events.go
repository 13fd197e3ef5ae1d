package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"canale/shared/api"

	"github.com/gorilla/websocket"
)

// EventIdleTimeout is how long an event stream may stay silent before Next
// gives up on the server. The server pings every 30 seconds, so silence this
// long means the link is dead even if TCP has not noticed.
const EventIdleTimeout = 75 * time.Second

// EventStream is an open /api/v1/events websocket. Next must be called from
// one goroutine; Close may be called from any.
type EventStream struct {
	ws *websocket.Conn
}

// DialEvents opens the event stream with the client's token and TLS
// settings. A refused upgrade comes back as *api.Error (CodeUnauthorized for
// a missing or revoked token).
func (c *Client) DialEvents(ctx context.Context) (*EventStream, error) {
	d := websocket.Dialer{HandshakeTimeout: 15 * time.Second, Proxy: http.ProxyFromEnvironment}
	if t, ok := c.http.Transport.(*http.Transport); ok {
		d.Proxy = t.Proxy
		d.NetDialContext = t.DialContext
		if t.TLSClientConfig != nil {
			d.TLSClientConfig = t.TLSClientConfig.Clone()
		}
	}
	h := http.Header{}
	if tok := c.Token(); tok != "" {
		h.Set("Authorization", "Bearer "+tok)
	}
	ws, resp, err := d.DialContext(ctx, eventsURL(c.baseURL), h)
	if err != nil {
		if resp != nil {
			defer resp.Body.Close()
			return nil, decodeError(resp)
		}
		return nil, &api.Error{Code: api.CodeUnavailable, Message: fmt.Sprintf("cannot reach %s: %v", c.baseURL, err)}
	}
	s := &EventStream{ws: ws}
	s.extend()
	ws.SetPingHandler(func(data string) error {
		s.extend()
		// Answer as gorilla's default handler does; a failed pong shows up on the next read.
		_ = ws.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(10*time.Second))
		return nil
	})
	return s, nil
}

func eventsURL(base string) string {
	switch {
	case strings.HasPrefix(base, "https://"):
		base = "wss://" + strings.TrimPrefix(base, "https://")
	case strings.HasPrefix(base, "http://"):
		base = "ws://" + strings.TrimPrefix(base, "http://")
	}
	return base + "/api/v1/events"
}

func (s *EventStream) extend() { _ = s.ws.SetReadDeadline(time.Now().Add(EventIdleTimeout)) }

// Next blocks until the next event. When the server closes the stream
// because the token was revoked or expired, the error has CodeUnauthorized;
// any other end of the stream has CodeUnavailable, and the caller may
// reconnect.
func (s *EventStream) Next() (api.Event, error) {
	var e api.Event
	_, b, err := s.ws.ReadMessage()
	if err != nil {
		return e, streamError(err)
	}
	s.extend()
	if err := json.Unmarshal(b, &e); err != nil {
		return e, fmt.Errorf("decode event: %w", err)
	}
	return e, nil
}

// Close closes the stream; a blocked Next returns.
func (s *EventStream) Close() error {
	_ = s.ws.WriteControl(websocket.CloseMessage,
		websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
	return s.ws.Close()
}

func streamError(err error) error {
	var ce *websocket.CloseError
	if errors.As(err, &ce) && ce.Code == websocket.ClosePolicyViolation {
		return &api.Error{Code: api.CodeUnauthorized, Message: "event stream closed by the server: " + ce.Text}
	}
	return &api.Error{Code: api.CodeUnavailable, Message: fmt.Sprintf("event stream lost: %v", err)}
}
