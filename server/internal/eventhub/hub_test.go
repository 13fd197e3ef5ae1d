package eventhub_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"canale/server/internal/eventhub"
	"canale/server/internal/store/storetest"
	"canale/server/internal/testserver"
	"canale/shared/api"

	"github.com/gorilla/websocket"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// dial opens the event socket with a bearer token and extra headers.
func dial(t *testing.T, srv *testserver.Server, token string, h http.Header) (*websocket.Conn, *http.Response, error) {
	t.Helper()
	if h == nil {
		h = http.Header{}
	}
	if token != "" {
		h.Set("Authorization", "Bearer "+token)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ws, resp, err := websocket.DefaultDialer.DialContext(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"/api/v1/events", h)
	if ws != nil {
		t.Cleanup(func() { ws.Close() })
	}
	return ws, resp, err
}

func mustDial(t *testing.T, srv *testserver.Server, token string) *websocket.Conn {
	t.Helper()
	ws, _, err := dial(t, srv, token, nil)
	if err != nil {
		t.Fatalf("dial events: %v", err)
	}
	return ws
}

func readEvent(t *testing.T, ws *websocket.Conn) (api.Event, error) {
	t.Helper()
	_ = ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	var e api.Event
	err := ws.ReadJSON(&e)
	return e, err
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

func TestEventsChangeAfterCommit(t *testing.T) {
	srv := testserver.Start(t)
	ws := mustDial(t, srv, srv.Admin.Token())
	ops := testserver.CreateAdmin(t, srv.Store, "ops", api.RoleOperator, "ops-password-1")

	e, err := readEvent(t, ws)
	if err != nil {
		t.Fatalf("read event: %v", err)
	}
	if e.Type != api.EventChange {
		t.Fatalf("got event type %q, want %q", e.Type, api.EventChange)
	}
	var c api.Change
	if err := json.Unmarshal(e.Data, &c); err != nil {
		t.Fatal(err)
	}
	want := api.Change{Entity: "admin", ID: strconv.FormatInt(ops.ID, 10), Op: "create"}
	if c != want {
		t.Errorf("got change %+v, want %+v", c, want)
	}
}

func TestEventsPublish(t *testing.T) {
	srv := testserver.Start(t)
	ws := mustDial(t, srv, srv.Admin.Token())
	alert := api.Alert{ID: "a1", Severity: api.SeverityCritical, Kind: "stream_down", Subject: "ch1", Message: "down"}
	e, err := api.NewEvent(api.EventAlert, alert)
	if err != nil {
		t.Fatal(err)
	}
	srv.App.Events().Publish(e)
	got, err := readEvent(t, ws)
	if err != nil {
		t.Fatalf("read event: %v", err)
	}
	if got.Type != api.EventAlert || string(got.Data) != string(e.Data) {
		t.Errorf("got %s %s, want %s %s", got.Type, got.Data, e.Type, e.Data)
	}
}

// TestEventsFromTheFirstMoment publishes as soon as the dial returns, without
// waiting for the hub to count the socket: a client that reloads its screens
// once connected must not miss what happens right after.
func TestEventsFromTheFirstMoment(t *testing.T) {
	srv := testserver.Start(t)
	for i := range 50 {
		ws, _, err := dial(t, srv, srv.Admin.Token(), nil)
		if err != nil {
			t.Fatalf("dial events: %v", err)
		}
		e, err := api.NewEvent(api.EventAlert, api.Alert{ID: strconv.Itoa(i), Severity: api.SeverityWarning, Kind: "stream_down", Subject: "ch1"})
		if err != nil {
			t.Fatal(err)
		}
		srv.App.Events().Publish(e)
		got, err := readEvent(t, ws)
		if err != nil {
			t.Fatalf("dial %d: the event published right after the upgrade never came: %v", i, err)
		}
		if string(got.Data) != string(e.Data) {
			t.Fatalf("dial %d: got %s, want %s", i, got.Data, e.Data)
		}
		ws.Close()
	}
}

func TestEventsRefused(t *testing.T) {
	srv := testserver.Start(t)
	tests := []struct {
		name   string
		token  string
		origin string
		want   int
	}{
		{name: "NoToken", want: http.StatusUnauthorized},
		{name: "BadToken", token: "nope", want: http.StatusUnauthorized},
		{name: "ForeignOrigin", token: srv.Admin.Token(), origin: "https://evil.example", want: http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.origin != "" {
				h.Set("Origin", tt.origin)
			}
			_, resp, err := dial(t, srv, tt.token, h)
			if err == nil {
				t.Fatal("dial succeeded, want refusal")
			}
			if resp == nil || resp.StatusCode != tt.want {
				t.Fatalf("got response %v, want status %d", resp, tt.want)
			}
		})
	}
	t.Run("OwnOrigin", func(t *testing.T) {
		h := http.Header{"Origin": {srv.URL}}
		if _, _, err := dial(t, srv, srv.Admin.Token(), h); err != nil {
			t.Fatalf("dial with the server's own origin: %v", err)
		}
	})
}

// closedWith reads until the socket ends and returns the close code.
func closedWith(t *testing.T, ws *websocket.Conn) int {
	t.Helper()
	for {
		if _, err := readEvent(t, ws); err != nil {
			if ce, ok := err.(*websocket.CloseError); ok {
				return ce.Code
			}
			t.Fatalf("socket ended without a close frame: %v", err)
		}
	}
}

func TestEventsClosedOnRevoke(t *testing.T) {
	t.Run("Logout", func(t *testing.T) {
		srv := testserver.Start(t)
		other := srv.SignIn(t, "admin", testserver.AdminPassword)
		ws := mustDial(t, srv, srv.Admin.Token())
		keep := mustDial(t, srv, other.Token())
		if err := srv.Admin.Logout(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := closedWith(t, ws); got != websocket.ClosePolicyViolation {
			t.Errorf("got close code %d, want %d", got, websocket.ClosePolicyViolation)
		}
		waitFor(t, "the revoked socket gone", func() bool { return srv.App.Events().Count() <= 1 })
		if got := srv.App.Events().Count(); got != 1 {
			t.Errorf("got %d sockets after logout, want 1 (the other token's)", got)
		}
		_ = keep
	})
	t.Run("Rekey", func(t *testing.T) {
		srv := testserver.Start(t)
		ws := mustDial(t, srv, srv.Admin.Token())
		testserver.CreateAdmin(t, srv.Store, "admin", api.RoleAdmin, "a-new-password-2")
		if got := closedWith(t, ws); got != websocket.ClosePolicyViolation {
			t.Errorf("got close code %d, want %d", got, websocket.ClosePolicyViolation)
		}
	})
}

// TestSlowClientDropped checks that a client that never reads is dropped
// and that Publish keeps returning meanwhile.
func TestSlowClientDropped(t *testing.T) {
	hub := eventhub.New(eventhub.Options{SendBuffer: 1, WriteWait: 200 * time.Millisecond})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hub.Serve(w, r, eventhub.SocketOwner{AdminID: 1})
	}))
	t.Cleanup(ts.Close)
	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(ts.URL, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	e, _ := api.NewEvent("bulk", strings.Repeat("x", 64<<10))
	for i := 0; i < 5000 && hub.Count() > 0; i++ {
		hub.Publish(e)
	}
	if got := hub.Count(); got != 0 {
		t.Fatalf("got %d sockets after flooding a client that never reads, want 0", got)
	}
}

// TestClientEvents drives the stream through shared/client, as the desktop
// app does: events arrive, and a logout ends Next with CodeUnauthorized.
func TestClientEvents(t *testing.T) {
	srv := testserver.Start(t)
	ctx := context.Background()
	stream, err := srv.Admin.DialEvents(ctx)
	if err != nil {
		t.Fatalf("dial events: %v", err)
	}
	defer stream.Close()
	testserver.CreateAdmin(t, srv.Store, "ops", api.RoleOperator, "ops-password-1")
	e, err := stream.Next()
	if err != nil || e.Type != api.EventChange {
		t.Fatalf("got %+v, %v; want a change event", e, err)
	}
	if err := srv.Admin.Logout(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := stream.Next(); api.ErrorCode(err) != api.CodeUnauthorized {
		t.Errorf("got %v after logout, want CodeUnauthorized", err)
	}
	if _, err := srv.Admin.DialEvents(ctx); api.ErrorCode(err) != api.CodeUnauthorized {
		t.Errorf("dial after logout: got %v, want CodeUnauthorized", err)
	}
}
