package ui

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"canale/server/servertest"
	"canale/shared/api"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// authorize asks Canale to authorize a viewer as a Flussonic streamer does
// (GET auth_url with q) until the answer is want: the server's catalog read
// model follows the database by NOTIFY, so a new record may take a moment
// to be known.
func authorize(t *testing.T, srv *servertest.Server, q url.Values, want int) {
	t.Helper()
	st, err := srv.Admin.Settings(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	u := srv.URL + api.StreamerPathPrefix + st.StreamerSecret + "/auth?" + q.Encode()
	deadline := time.Now().Add(20 * time.Second)
	for {
		res, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("play auth %v: got status %d, want %d", q, res.StatusCode, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// cellText is what a text table shows in a cell, read through the table's
// own data source; call it under the UI lock.
func cellText(tb *fitTable, row, col int) string {
	l := tb.CreateCell().(*widget.Label)
	tb.UpdateCell(widget.TableCellID{Row: row, Col: col}, l)
	return l.Text
}

// columnIndex is the position of the column titled title.
func columnIndex[T any](t *testing.T, cols []textColumn[T], title string) int {
	t.Helper()
	for i, c := range cols {
		if c.title == title {
			return i
		}
	}
	t.Fatalf("no column %q", title)
	return -1
}

// newsChannel creates channel "news" in package "Basic" and returns the package.
func newsChannel(t *testing.T, f *fixture) api.Package {
	t.Helper()
	c := f.srv.Admin
	ch, err := c.CreateChannel(ctx(t), api.ChannelCreate{Name: "news", Title: "News", Sources: []api.Source{{URL: "udp://239.0.0.1:1234"}}})
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := c.CreatePackage(ctx(t), api.Package{Name: "Basic", ChannelIDs: []int64{ch.ID}})
	if err != nil {
		t.Fatal(err)
	}
	return pkg
}

// liveSessions signs in and returns the sessions screen once it lists a
// session.
func liveSessions(t *testing.T, f *fixture) *sessionsScreen {
	t.Helper()
	f.signInAdmin(t)
	s := screenOf[*sessionsScreen](t, f)
	f.waitUI(t, "the session to be listed", func() bool {
		if len(s.sessions) == 0 {
			s.load("")
			return false
		}
		return true
	})
	return s
}

// TestSessionRowsShowNames plays carol's VLC through a registered streamer
// and reads the row: login, streamer name and player, not ids and raw
// user agents; the total row compares with the streamers' count, and the
// subscriber filter takes a login.
func TestSessionRowsShowNames(t *testing.T) {
	f := setup(t)
	c := f.srv.Admin
	pkg := newsChannel(t, f)
	off := false
	if _, err := c.CreateStreamer(ctx(t), api.StreamerCreate{Name: "edge-1", APIURL: "http://edge1.invalid:8080", Enabled: &off}); err != nil {
		t.Fatal(err)
	}
	sub := createSubscriber(t, c, "carol", pkg.ID)
	authorize(t, f.srv, url.Values{"name": {"news"}, "token": {sub.Token}, "session_id": {"s-names"}, "ip": {"192.0.2.10"},
		"host": {"edge1.invalid"}, "user_agent": {"VLC/3.0.20 LibVLC/3.0.20"}, "request_type": {"new_session"}}, http.StatusOK)

	s := liveSessions(t, f)
	f.ui(func() {
		s.buildUI()
		for title, want := range map[string]string{"Subscriber": "carol", "Channel": "news", "Streamer": "edge-1",
			"Player": "VLC 3.0", "Address": "192.0.2.10", "Duration": "0s"} {
			if got := cellText(s.table, 0, columnIndex(t, sessionColumns, title)); got != want {
				t.Errorf("%s cell: got %q, want %q", title, got, want)
			}
		}
		if got := s.info.Text; !strings.HasPrefix(got, "1 live sessions · streamers report ") || !strings.Contains(got, "Viewers now") {
			t.Errorf("total row %q; want 1 live session beside the streamers' count", got)
		}
		test.Type(s.subscriber, "nobody")
		s.subscriber.OnSubmitted(s.subscriber.Text)
	})
	f.waitUI(t, "the filter by login to empty the list", func() bool { return len(s.sessions) == 0 })
	f.ui(func() {
		s.subscriber.SetText("CAROL")
		s.subscriber.OnSubmitted(s.subscriber.Text)
	})
	f.waitUI(t, "the filter by login to find carol", func() bool { return len(s.sessions) == 1 })
}

// TestRefusedPlaysListed refuses a disabled subscriber and an unknown
// token and finds both on the Refused tab with their reasons in words.
func TestRefusedPlaysListed(t *testing.T) {
	f := setup(t)
	c := f.srv.Admin
	pkg := newsChannel(t, f)
	dave, err := c.CreateSubscriber(ctx(t), api.Subscriber{Login: "dave", Password: "pw-dave", Status: api.StatusDisabled, PackageIDs: []int64{pkg.ID}})
	if err != nil {
		t.Fatal(err)
	}
	authorize(t, f.srv, url.Values{"name": {"news"}, "token": {dave.Token}, "session_id": {"s-dave"}, "ip": {"192.0.2.11"}}, http.StatusForbidden)
	authorize(t, f.srv, url.Values{"name": {"news"}, "token": {"no-such-token"}, "session_id": {"s-bad"}, "ip": {"192.0.2.12"}}, http.StatusForbidden)

	f.signInAdmin(t)
	s := screenOf[*sessionsScreen](t, f)
	p := s.refused
	f.waitUI(t, "two refusals to be listed", func() bool {
		if len(p.refusals) < 2 { // the writer flushes every second
			p.load()
			return false
		}
		return true
	})
	f.ui(func() {
		s.buildUI()
		want := map[string][2]string{"192.0.2.11": {"dave", "subscriber disabled"}, "192.0.2.12": {"(unknown token)", "unknown or missing token"}}
		for row := range p.refusals {
			addr := cellText(p.table, row, columnIndex(t, refusalColumns, "Address"))
			w, ok := want[addr]
			if !ok {
				continue
			}
			delete(want, addr)
			got := [2]string{cellText(p.table, row, columnIndex(t, refusalColumns, "Subscriber")),
				cellText(p.table, row, columnIndex(t, refusalColumns, "Reason"))}
			if got != w {
				t.Errorf("refusal from %s: got subscriber and reason %q, want %q", addr, got, w)
			}
		}
		if len(want) != 0 {
			t.Errorf("refusals not listed: %v", want)
		}
		if !strings.Contains(p.info.Text, "refused plays in the last hour") {
			t.Errorf("info %q", p.info.Text)
		}
		p.reason.SetSelected("disabled") // the filter offers the reasons seen
	})
	f.waitUI(t, "the reason filter to keep dave's refusal", func() bool {
		return len(p.refusals) == 1 && p.refusals[0].SubscriberLogin == "dave"
	})

	// The subscriber screen says it beside dave's sessions.
	subs := screenOf[*subscribersScreen](t, f)
	f.ui(func() { subs.form.show(dave) })
	f.waitUI(t, "dave's refusals on his form", func() bool { return subs.form.refused.Text != "" })
	f.ui(func() {
		if got := subs.form.refused.Text; !strings.HasPrefix(got, "1 plays refused") || !strings.Contains(got, "subscriber disabled (disabled)") {
			t.Errorf("dave's form says %q; want his one refusal with its reason", got)
		}
	})
}
