package ui

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"canale/desktop/internal/session"
	"canale/server/servertest"
	"canale/shared/api"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

func TestMain(m *testing.M) { servertest.Main(m) }

// memPrefs keeps preferences in memory.
type memPrefs struct {
	mu sync.Mutex
	m  map[string]string
}

func (p *memPrefs) String(k string) string { p.mu.Lock(); defer p.mu.Unlock(); return p.m[k] }
func (p *memPrefs) SetString(k, v string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.m == nil {
		p.m = map[string]string{}
	}
	p.m[k] = v
}

// notifyingApp records desktop notifications, which the test app keeps
// private.
type notifyingApp struct {
	fyne.App
	mu   sync.Mutex
	sent []*fyne.Notification
}

func (a *notifyingApp) SendNotification(n *fyne.Notification) {
	a.mu.Lock()
	a.sent = append(a.sent, n)
	a.mu.Unlock()
}

type fixture struct {
	srv    *servertest.Server
	app    *notifyingApp
	sess   *session.Session
	w      *Window
	win    fyne.Window
	states chan session.State
	events chan api.Event
}

// setup starts a real server and a window on a session to it; extra screens
// are appended to the sidebar.
func setup(t *testing.T, extra ...screenSpec) *fixture {
	t.Helper()
	f := &fixture{srv: servertest.Start(t), app: &notifyingApp{App: test.NewTempApp(t)},
		states: make(chan session.State, 100), events: make(chan api.Event, 100)}
	f.sess = session.New(session.Config{Prefs: &memPrefs{}, MinBackoff: 20 * time.Millisecond})
	f.win = test.NewWindow(nil)
	f.win.Resize(fyne.NewSize(900, 600))
	f.w = New(f.app, f.win, f.sess)
	f.w.extra = extra
	f.w.fleetRefresh = 0 // loads follow events and taps only: no timers in tests
	// Registered after the window's, so these run once the UI has updated.
	f.sess.OnState(func(st session.State, _ error) { f.states <- st })
	f.sess.OnEvent(func(e api.Event) { f.events <- e })
	t.Cleanup(func() { _ = f.sess.Logout(context.Background()); f.w.pending.Wait(); f.win.Close() })
	return f
}

// signIn types the credentials and taps "Sign in", then waits for the
// result and for the screens' first loads.
func (f *fixture) signIn(t *testing.T, login, password string) {
	t.Helper()
	f.ui(func() {
		c := f.w.connect
		test.Type(c.server, f.srv.URL)
		test.Type(c.login, login)
		test.Type(c.password, password)
		test.Tap(c.signIn)
	})
	f.w.pending.Wait()
	f.w.pending.Wait() // the screens' loads started by sign-in
}

// ui runs fn under the window's UI lock, so reads and taps do not race with
// updates from the session's goroutines.
func (f *fixture) ui(fn func()) {
	f.w.uiMu.Lock()
	defer f.w.uiMu.Unlock()
	fn()
}

func (f *fixture) waitState(t *testing.T, want session.State) {
	t.Helper()
	timeout := time.After(15 * time.Second)
	for {
		select {
		case st := <-f.states:
			if st == want {
				return
			}
		case <-timeout:
			t.Fatalf("state %v never came", want)
		}
	}
}

func TestSignIn(t *testing.T) {
	f := setup(t)
	f.signIn(t, "admin", servertest.AdminPassword)
	f.waitState(t, session.StateConnected)
	f.ui(func() {
		if !f.w.signedIn {
			t.Fatalf("not signed in; connect screen says %q", f.w.connect.errText.Text)
		}
		var titles []string
		for _, it := range f.w.tabs.Items {
			titles = append(titles, it.Text)
		}
		want := []string{"Dashboard", "Channels", "Streamers", "Pipelines", "Packages", "Subscribers", "Resellers",
			"Sessions", "EPG sources", "Alerts", "Audit log", "Staff", "Config", "Series"}
		if !slices.Equal(titles, want) {
			t.Errorf("got tabs %q, want %q", titles, want)
		}
		if got, want := f.w.status.state.Text, "● connected"; got != want {
			t.Errorf("got status %q, want %q", got, want)
		}
		audit := screenIn[*auditScreen](t, f)
		if len(audit.entries) == 0 || audit.entries[0].Entity != "admin" {
			t.Errorf("got audit entries %+v, want the admin's creation", audit.entries)
		}
	})
}

func TestSignInWrongPassword(t *testing.T) {
	f := setup(t)
	f.signIn(t, "admin", "not-the-password")
	f.ui(func() {
		if f.w.signedIn {
			t.Fatal("signed in with a wrong password")
		}
		if got, want := f.w.connect.errText.Text, "Wrong login or password."; got != want {
			t.Errorf("got error %q, want %q", got, want)
		}
	})
}

func TestAlertBadge(t *testing.T) {
	f := setup(t)
	f.signIn(t, "admin", servertest.AdminPassword)
	f.waitState(t, session.StateConnected)
	alert := api.Alert{ID: "stream_down:ch1", Severity: api.SeverityCritical, Kind: "stream_down",
		Subject: "ch1", Message: "no frames for 10s", At: time.Now()}
	e, err := api.NewEvent(api.EventAlert, alert)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 { // a repeat of an open alert is not counted twice
		f.srv.App.Events().Publish(e)
		select {
		case <-f.events:
		case <-time.After(15 * time.Second):
			t.Fatal("the alert event never arrived")
		}
	}
	f.ui(func() {
		if got, want := f.tab(t, "Alerts").Text, "Alerts (1)"; got != want {
			t.Errorf("got tab %q, want %q", got, want)
		}
	})
	f.app.mu.Lock()
	sent := f.app.sent
	f.app.mu.Unlock()
	if len(sent) != 1 || sent[0].Title != "Canale CRITICAL: ch1" || sent[0].Content != alert.Message {
		t.Errorf("got notifications %+v, want one for ch1", sent)
	}
	f.ui(func() {
		f.w.alerts.onAcknowledge(alert.ID)
		if got, want := f.tab(t, "Alerts").Text, "Alerts"; got != want {
			t.Errorf("after acknowledging: got tab %q, want %q", got, want)
		}
	})
}

// TestEditControlsByRole adds a screen with an edit button, as catalog
// screens will have, and checks who sees it.
func TestEditControlsByRole(t *testing.T) {
	thing := screenSpec{title: "Things", icon: theme.ListIcon(), make: func(w *Window) screen { return &thingScreen{w: w} }}
	tests := []struct {
		name     string
		role     api.Role
		wantEdit bool
	}{
		{name: "Admin", role: api.RoleAdmin, wantEdit: true},
		{name: "Operator", role: api.RoleOperator, wantEdit: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := setup(t, thing)
			servertest.CreateAdmin(t, f.srv, "noc", tt.role, "noc-password-1")
			f.signIn(t, "noc", "noc-password-1")
			f.ui(func() {
				if !f.w.signedIn {
					t.Fatalf("not signed in: %q", f.w.connect.errText.Text)
				}
				var found bool
				for _, it := range f.w.tabs.Items {
					for _, o := range test.LaidOutObjects(it.Content) {
						if b, ok := o.(*widget.Button); ok && b.Text == "Add thing" {
							found = true
						}
					}
				}
				if found != tt.wantEdit {
					t.Errorf("role %s: got edit button %v, want %v", tt.role, found, tt.wantEdit)
				}
			})
		})
	}
}

type thingScreen struct{ w *Window }

func (s *thingScreen) buildUI() fyne.CanvasObject {
	objs := []fyne.CanvasObject{widget.NewLabel("things")}
	if b := s.w.editButton("Add thing", theme.ContentAddIcon(), func() {}); b != nil {
		objs = append(objs, b)
	}
	return container.NewVBox(objs...)
}

func TestConnectScreenMarkup(t *testing.T) {
	f := setup(t)
	f.ui(func() { test.AssertRendersToMarkup(t, "connect_screen.xml", f.win.Canvas()) })
}

// screenIn returns the signed-in screen of type T; call it inside f.ui
// (screenOf takes the UI lock itself).
func screenIn[T screen](t *testing.T, f *fixture) T {
	t.Helper()
	for _, sc := range f.w.screens {
		if s, ok := sc.(T); ok {
			return s
		}
	}
	var zero T
	t.Fatalf("no screen of type %T", zero)
	return zero
}

// tab returns the sidebar tab whose title starts with title.
func (f *fixture) tab(t *testing.T, title string) *container.TabItem {
	t.Helper()
	for _, it := range f.w.tabs.Items {
		if strings.HasPrefix(it.Text, title) {
			return it
		}
	}
	t.Fatalf("no tab %q", title)
	return nil
}
