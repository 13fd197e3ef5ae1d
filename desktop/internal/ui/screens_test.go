package ui

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"canale/desktop/internal/session"
	"canale/server/servertest"
	"canale/shared/api"
	"canale/shared/client"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// screenOf returns the signed-in window's screen of type T.
func screenOf[T screen](t *testing.T, f *fixture) T {
	t.Helper()
	var found T
	var ok bool
	f.ui(func() {
		for _, sc := range f.w.screens {
			if s, is := sc.(T); is {
				found, ok = s, true
			}
		}
	})
	if !ok {
		t.Fatalf("no %T screen; signed in: %v", found, f.w.signedIn)
	}
	return found
}

// signInAdmin signs in as admin and waits for the event stream, so events
// caused by the test reach the screens.
func (f *fixture) signInAdmin(t *testing.T) {
	t.Helper()
	f.signIn(t, "admin", servertest.AdminPassword)
	f.ui(func() {
		if !f.w.signedIn {
			t.Fatalf("not signed in: %q", f.w.connect.errText.Text)
		}
	})
	f.waitState(t, session.StateConnected)
}

// waitUI polls cond under the UI lock until it holds, for at most 20s:
// events and replies arrive on other goroutines.
func (f *fixture) waitUI(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		f.w.pending.Wait()
		var ok bool
		f.ui(func() { ok = cond() })
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// findButton returns the button labelled text inside o, or nil.
func findButton(o fyne.CanvasObject, text string) *widget.Button {
	for _, obj := range test.LaidOutObjects(o) {
		if b, ok := obj.(*widget.Button); ok && b.Text == text {
			return b
		}
	}
	return nil
}

// tap taps the button labelled text inside o and waits for the work it
// starts.
func (f *fixture) tap(t *testing.T, o fyne.CanvasObject, text string) {
	t.Helper()
	f.ui(func() {
		b := findButton(o, text)
		if b == nil {
			t.Fatalf("no button %q", text)
		}
		test.Tap(b)
	})
	f.w.pending.Wait()
}

// tapOn builds s's UI under the UI lock, as replies landing meanwhile lay
// out the same widgets, and taps the button labelled text in it.
func (f *fixture) tapOn(t *testing.T, s screen, text string) {
	t.Helper()
	var o fyne.CanvasObject
	f.ui(func() { o = s.buildUI() })
	f.tap(t, o, text)
}

// tapDialog taps the button labelled text in the dialog on top.
func (f *fixture) tapDialog(t *testing.T, text string) {
	t.Helper()
	var top fyne.CanvasObject
	f.ui(func() { top = f.win.Canvas().Overlays().Top() })
	if top == nil {
		t.Fatalf("no dialog open to tap %q in", text)
	}
	f.tap(t, top, text)
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

func createSubscriber(t *testing.T, c *client.Client, login string, pkgs ...int64) api.Subscriber {
	t.Helper()
	sub, err := c.CreateSubscriber(ctx(t), api.Subscriber{Login: login, Password: "pw-" + login, Status: api.StatusActive, PackageIDs: pkgs})
	if err != nil {
		t.Fatalf("create subscriber %s: %v", login, err)
	}
	return sub
}

func TestSubscriberStaleVersionShowsConflict(t *testing.T) {
	f := setup(t)
	sub := createSubscriber(t, f.srv.Admin, "alice")
	f.signInAdmin(t)
	s := screenOf[*subscribersScreen](t, f)
	f.ui(func() { s.form.show(sub) })
	f.w.pending.Wait()

	// Someone else changes alice after the form was opened.
	name := "Alice (changed elsewhere)"
	if _, err := f.srv.Admin.UpdateSubscriber(ctx(t), sub.ID, api.SubscriberUpdate{Name: &name, Version: sub.Version}); err != nil {
		t.Fatal(err)
	}
	f.ui(func() { test.Type(s.form.name, "Alice mine") })
	f.tap(t, s.form.ui, "Save")
	f.ui(func() {
		if got := s.form.outcome.Text; got != conflictText {
			t.Errorf("after a stale save: got %q, want %q", got, conflictText)
		}
		if !s.form.reload.Visible() {
			t.Error("no Reload button after a conflict")
		}
	})
	got, err := f.srv.Admin.Subscriber(ctx(t), sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != name {
		t.Errorf("the stale save overwrote the name: got %q, want %q", got.Name, name)
	}

	f.tap(t, s.form.ui, "Reload")
	f.ui(func() {
		if s.form.name.Text != name || s.form.sub.Version != got.Version {
			t.Errorf("after Reload: got name %q version %d, want %q version %d", s.form.name.Text, s.form.sub.Version, name, got.Version)
		}
		if s.form.reload.Visible() {
			t.Error("Reload still shown after reloading")
		}
	})
}

func TestSubscriberCreateAndSearch(t *testing.T) {
	f := setup(t)
	for i := range 3 {
		createSubscriber(t, f.srv.Admin, fmt.Sprintf("other%d", i))
	}
	f.signInAdmin(t)
	s := screenOf[*subscribersScreen](t, f)
	f.tapOn(t, s, "New")
	f.ui(func() {
		test.Type(s.form.login, "zoe-findme")
		test.Type(s.form.password, "secret-1")
		test.Type(s.form.name, "Zoe")
	})
	f.tap(t, s.form.ui, "Save")
	f.ui(func() {
		if s.form.sub.ID == 0 || s.form.token.Text == "" {
			t.Fatalf("not created: %q", s.form.outcome.Text)
		}
		test.Type(s.search, "zoe")
		s.onSearch()
	})
	f.w.pending.Wait()
	f.ui(func() {
		if len(s.subs) != 1 || s.subs[0].Login != "zoe-findme" || s.subs[0].Name != "Zoe" {
			t.Errorf("search zoe: got %+v, want only zoe-findme", s.subs)
		}
	})
}

func TestSubscriberListPages(t *testing.T) {
	f := setup(t)
	for i := range subscriberPageSize + 5 {
		createSubscriber(t, f.srv.Admin, fmt.Sprintf("user%03d", i))
	}
	f.signInAdmin(t)
	s := screenOf[*subscribersScreen](t, f)
	f.ui(func() {
		if len(s.subs) != subscriberPageSize || !s.more.Visible() {
			t.Fatalf("first page: got %d subscribers (more shown: %v), want %d and More", len(s.subs), s.more.Visible(), subscriberPageSize)
		}
	})
	f.tapOn(t, s, "More")
	f.ui(func() {
		if len(s.subs) != subscriberPageSize+5 || s.more.Visible() {
			t.Errorf("after More: got %d subscribers (more shown: %v), want %d and no More", len(s.subs), s.more.Visible(), subscriberPageSize+5)
		}
	})
}

func TestSubscriberResetToken(t *testing.T) {
	f := setup(t)
	sub := createSubscriber(t, f.srv.Admin, "bob")
	f.signInAdmin(t)
	s := screenOf[*subscribersScreen](t, f)
	f.ui(func() { s.form.show(sub) })
	f.tap(t, s.form.ui, "Reset token")
	f.tapDialog(t, "Reset token")
	got, err := f.srv.Admin.Subscriber(ctx(t), sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Token == sub.Token {
		t.Fatal("the token did not change on the server")
	}
	f.ui(func() {
		if s.form.token.Text != got.Token {
			t.Errorf("shown token %q, want the new %q", s.form.token.Text, got.Token)
		}
		if !strings.HasSuffix(s.form.m3u.Text, "/playlist/"+got.Token+".m3u8") {
			t.Errorf("playlist link %q does not carry the new token", s.form.m3u.Text)
		}
	})
}

// editLabels are the labels of every change control of this file's screens.
var editLabels = []string{"Save", "New", "New package", "Delete", "Reset token", "Extend", "Enable", "Disable",
	"Remove", "Add", "New reseller", "Apply credit change", "Kill session", "New source", "Run now",
	"Save external URL", "Rotate streamer secret", "Get certificate from Let's Encrypt", "Reset tuner"}

func TestEditButtonsByRole(t *testing.T) {
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
			f := setup(t)
			servertest.CreateAdmin(t, f.srv, "noc", tt.role, "noc-password-1")
			f.signIn(t, "noc", "noc-password-1")
			f.ui(func() {
				if !f.w.signedIn {
					t.Fatalf("not signed in: %q", f.w.connect.errText.Text)
				}
				for _, it := range f.w.tabs.Items {
					var found []string
					for _, label := range editLabels {
						if findButton(it.Content, label) != nil {
							found = append(found, label)
						}
					}
					switch {
					case !tt.wantEdit && len(found) > 0:
						t.Errorf("%s sees edit buttons %q on %s", tt.role, found, it.Text)
					case tt.wantEdit && it.Text == "Subscribers" && len(found) < 6:
						t.Errorf("admin sees only %q on Subscribers", found)
					}
				}
			})
		})
	}
}

// seedPlaySession makes a streamer ask Canale to authorize a viewer, as
// Flussonic does, which opens a play session.
func seedPlaySession(t *testing.T, srv *servertest.Server, channel, token, sessionID string) {
	t.Helper()
	q := url.Values{"name": {channel}, "token": {token}, "session_id": {sessionID}, "request_type": {"new_session"}, "ip": {"127.0.0.1"}}
	authorize(t, srv, q, http.StatusOK)
}

func TestKillSession(t *testing.T) {
	f := setup(t)
	c := f.srv.Admin
	pkg := newsChannel(t, f)
	sub := createSubscriber(t, c, "carol", pkg.ID)
	seedPlaySession(t, f.srv, "news", sub.Token, "sess-1")

	s := liveSessions(t, f)
	f.ui(func() {
		if len(s.sessions) != 1 || s.sessions[0].SubscriberID != sub.ID || s.sessions[0].Name != "news" {
			t.Fatalf("got sessions %+v, want carol's on news", s.sessions)
		}
		s.table.Select(widget.TableCellID{Row: 0, Col: 0})
	})
	f.tapOn(t, s, "Kill session")
	f.tapDialog(t, "Kill session")
	f.waitUI(t, "the killed session to leave the list", func() bool { return len(s.sessions) == 0 })
	live, err := c.PlaySessions(ctx(t), api.PlaySessionFilter{SubscriberID: sub.ID}, api.ListParams{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(live.Items) != 0 {
		t.Errorf("after kill: got live sessions %+v, want none", live.Items)
	}
}

// pausedGuide serves an XMLTV guide in two halves, the second only after
// release is closed, so a test can watch an import while it runs. The first
// half is over 1 MiB, the parser's progress step.
func pausedGuide(t *testing.T, release <-chan struct{}) *httptest.Server {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<tv><channel id="news.tv"><display-name>News</display-name></channel>`+"\n")
		start := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
		programme := func(i int) {
			a, b := start.Add(time.Duration(i)*time.Minute), start.Add(time.Duration(i+1)*time.Minute)
			fmt.Fprintf(w, `<programme start="%s +0000" stop="%s +0000" channel="news.tv"><title>Bulletin %d</title><desc>%s</desc></programme>`+"\n",
				a.Format("20060102150405"), b.Format("20060102150405"), i, strings.Repeat("news ", 40))
		}
		for i := range 6000 {
			programme(i)
		}
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
			return
		}
		for i := 6000; i < 6010; i++ {
			programme(i)
		}
		fmt.Fprint(w, "</tv>\n")
	}))
	t.Cleanup(ts.Close)
	return ts
}

func TestEPGRunShowsProgressThenDone(t *testing.T) {
	f := setup(t)
	release := make(chan struct{})
	guide := pausedGuide(t, release)
	src, err := f.srv.Admin.CreateEPGSource(ctx(t), api.EPGSource{Name: "Guide", URL: guide.URL + "/guide.xml", Enabled: true, IntervalHours: 24, DaysKeep: 1,
		AllowPrivateNetwork: true})
	if err != nil {
		t.Fatal(err)
	}
	f.signInAdmin(t)
	s := screenOf[*epgScreen](t, f)
	f.ui(func() {
		if len(s.sources) != 1 || s.sources[0].ID != src.ID {
			t.Fatalf("got sources %+v, want Guide", s.sources)
		}
		s.table.Select(widget.TableCellID{Row: 0, Col: 0})
	})
	f.tapOn(t, s, "Run now")
	f.waitUI(t, "import progress", func() bool {
		return s.progress.Visible() && strings.HasPrefix(s.progressText.Text, "Importing:")
	})
	close(release)
	f.waitUI(t, "the import to finish", func() bool { return strings.HasPrefix(s.progressText.Text, "Import done:") })
	f.ui(func() {
		if want := "Import done: ok, 1 channels, 6010 programmes"; !strings.HasPrefix(s.progressText.Text, want) {
			t.Errorf("got %q, want it to start with %q", s.progressText.Text, want)
		}
		if s.progress.Visible() {
			t.Error("progress bar still shown after the import finished")
		}
	})
	f.waitUI(t, "the list to show the result", func() bool {
		return len(s.sources) == 1 && s.sources[0].LastResult == api.EPGResultOK && s.sources[0].ProgrammeCount == 6010
	})
}

func TestEPGFormSavesAllowPrivateNetwork(t *testing.T) {
	f := setup(t)
	src, err := f.srv.Admin.CreateEPGSource(ctx(t), api.EPGSource{Name: "Inside", URL: "http://10.0.0.5/guide.xml", Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	f.signInAdmin(t)
	s := screenOf[*epgScreen](t, f)
	f.ui(func() {
		if len(s.sources) != 1 {
			t.Fatalf("got sources %+v, want Inside", s.sources)
		}
		s.table.Select(widget.TableCellID{Row: 0, Col: 0})
		if s.allowPrivate.Checked {
			t.Error("allow private network shown checked for a source that does not allow it")
		}
		s.allowPrivate.SetChecked(true)
	})
	f.tapOn(t, s, "Save")
	f.waitUI(t, "the source to be saved", func() bool { return strings.HasPrefix(s.outcome.Text, "Saved") })
	got, err := f.srv.Admin.EPGSource(ctx(t), src.ID)
	if err != nil || !got.AllowPrivateNetwork {
		t.Errorf("after save: got allow_private_network %v, %v; want true", got.AllowPrivateNetwork, err)
	}
}

func TestConfigShowsFQDNWarning(t *testing.T) {
	f := setup(t)
	st, err := f.srv.Admin.Settings(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	ext := "http://192.0.2.10:8080"
	if _, err := f.srv.Admin.UpdateSettings(ctx(t), api.SettingsUpdate{ExternalURL: &ext, Version: st.Version}); err != nil {
		t.Fatal(err)
	}
	f.signInAdmin(t)
	s := screenOf[*configScreen](t, f)
	f.ui(func() {
		if !s.warnings.Visible() || !strings.Contains(s.warnings.Text, "uses an IP address; use a fully qualified domain name") {
			t.Errorf("got warnings %q (shown: %v), want the FQDN warning", s.warnings.Text, s.warnings.Visible())
		}
		if want := ext + api.StreamerPathPrefix; !strings.HasPrefix(s.authURL.Text, want) || !strings.HasSuffix(s.authURL.Text, "/auth") {
			t.Errorf("got auth URL %q, want %s<secret>/auth", s.authURL.Text, want)
		}
		if !strings.HasPrefix(s.urlSource.Text, "Set in the settings") {
			t.Errorf("got source %q, want it to say the settings hold the URL", s.urlSource.Text)
		}
	})
}

func TestPackageDeleteHeldShowsConflict(t *testing.T) {
	f := setup(t)
	pkg, err := f.srv.Admin.CreatePackage(ctx(t), api.Package{Name: "Sports"})
	if err != nil {
		t.Fatal(err)
	}
	createSubscriber(t, f.srv.Admin, "dave", pkg.ID)
	f.signInAdmin(t)
	s := screenOf[*packagesScreen](t, f)
	f.ui(func() {
		if len(s.pkgs) != 1 {
			t.Fatalf("got packages %+v, want Sports", s.pkgs)
		}
		s.list.Select(0)
	})
	f.tapOn(t, s, "Delete")
	f.tapDialog(t, "Delete")
	f.ui(func() {
		if got := s.status.Text; !strings.HasPrefix(got, "CONFLICT: ") {
			t.Errorf("deleting a held package: got %q, want a CONFLICT message", got)
		}
	})
	if _, err := f.srv.Admin.Package(ctx(t), pkg.ID); err != nil {
		t.Errorf("the held package is gone: %v", err)
	}
}

// TestPackageStreamsAtOnce: the package form sets how many streams at once a
// reseller's subscriber gets from the package.
func TestPackageStreamsAtOnce(t *testing.T) {
	f := setup(t)
	pkg, err := f.srv.Admin.CreatePackage(ctx(t), api.Package{Name: "Family"})
	if err != nil || pkg.MaxSessions != 1 {
		t.Fatalf("new package: got %+v, %v; want 1 stream at once by default", pkg, err)
	}
	f.signInAdmin(t)
	s := screenOf[*packagesScreen](t, f)
	f.ui(func() {
		if len(s.pkgs) != 1 {
			t.Fatalf("got packages %+v, want Family", s.pkgs)
		}
		s.list.Select(0)
		if s.sessions.Text != "1" {
			t.Errorf("streams at once shown: got %q, want 1", s.sessions.Text)
		}
		s.sessions.SetText("")
		test.Type(s.sessions, "3")
	})
	f.tapOn(t, s, "Save")
	f.w.pending.Wait()
	got, err := f.srv.Admin.Package(ctx(t), pkg.ID)
	if err != nil || got.MaxSessions != 3 {
		t.Errorf("after saving 3 streams at once: got %+v, %v", got, err)
	}
}
