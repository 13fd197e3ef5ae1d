package ui

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"canale/desktop/internal/session"
	"canale/server/servertest"
	"canale/shared/api"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// eventually waits, for at most 20s, until cond (run under the UI lock)
// holds, letting background loads and events land in between.
func (f *fixture) eventually(t *testing.T, what string, cond func() bool) {
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
			t.Fatalf("%s: not within 20s", what)
		}
		select {
		case <-f.events:
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// button finds a button by its text in a tab's content, or nil.
func button(content fyne.CanvasObject, text string) *widget.Button {
	for _, o := range test.LaidOutObjects(content) {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			return b
		}
	}
	return nil
}

func TestCreateChannelThroughUI(t *testing.T) {
	f := setup(t)
	f.signIn(t, "admin", servertest.AdminPassword)
	f.waitState(t, session.StateConnected)
	s := screenOf[*channelsScreen](t, f)
	f.ui(func() {
		f.w.tabs.Select(f.tab(t, "Channels"))
		add := button(f.tab(t, "Channels").Content, "Add channel")
		if add == nil {
			t.Fatal("no Add channel button for an admin")
		}
		test.Tap(add)
		ed := s.editor
		if ed == nil {
			t.Fatal("Add channel opened no editor")
		}
		test.Type(ed.name, "news24")
		test.Type(ed.title, "News 24")
		ed.number.SetText("")
		test.Type(ed.number, "7")
		test.Type(ed.sources, "udp://239.1.1.1:1234")
		test.Tap(ed.save)
	})
	f.eventually(t, "news24 in the list", func() bool {
		for _, c := range s.channels {
			if c.Name == "news24" && c.Title == "News 24" && c.Number == 7 && len(c.Sources) == 1 {
				return true
			}
		}
		return false
	})
	f.ui(func() {
		if s.editor != nil {
			t.Errorf("the editor stayed open: %q", s.editor.errText.Text)
		}
		test.Type(s.search, "zzz")
		test.Tap(button(f.tab(t, "Channels").Content, "Search"))
	})
	f.eventually(t, "the search for zzz to empty the list", func() bool { return len(s.channels) == 0 })
}

// TestDeadChannelTurnsRed runs a channel on a simulated streamer, kills the
// stream and expects the row in red and a warning alert.
func TestDeadChannelTurnsRed(t *testing.T) {
	f := setup(t)
	sim, p := runChannels(t, f, servertest.SimStream{Name: "ch1", Alive: true, InputKbps: 3000, OutputKbps: 6000, Clients: 4})
	f.signIn(t, "admin", servertest.AdminPassword)
	f.waitState(t, session.StateConnected)
	s := screenOf[*channelsScreen](t, f)
	f.ui(func() { f.w.tabs.Select(f.tab(t, "Channels")) })
	f.eventually(t, "ch1 alive", func() bool { return len(s.channels) == 1 && s.health(s.channels[0]) == channelAlive })
	f.ui(func() {
		if n := countDeadCells(s); n != 0 {
			t.Errorf("alive channel: got %d red cells, want 0", n)
		}
	})

	sim.UpdateStream("ch1", func(st *servertest.SimStream) { st.Alive = false })
	servertest.PollNow(t, f.srv)
	f.eventually(t, "ch1 dead", func() bool { return s.health(s.channels[0]) == channelDead })
	f.ui(func() {
		if n := countDeadCells(s); n != len(channelColumns) {
			t.Errorf("dead channel: got %d red cells, want the whole row (%d)", n, len(channelColumns))
		}
	})
	f.eventually(t, "the alert", func() bool { return f.w.openAlerts() == 1 })
	f.ui(func() {
		a := f.w.alerts.open[0]
		if a.Severity != api.SeverityWarning || a.Subject != "ch1" || a.Kind != api.EventStreamDown {
			t.Errorf("got alert %+v, want a stream_down warning about ch1", a)
		}
		if got, want := f.tab(t, "Alerts").Text, "Alerts (1)"; got != want {
			t.Errorf("got tab %q, want %q", got, want)
		}
		if got := screenIn[*dashboardScreen](t, f).alerts.Text; got != "1" {
			t.Errorf("dashboard open alerts: got %q, want 1", got)
		}
	})

	// The pipeline is in use, so deleting it is refused and the refusal shown.
	ps := screenOf[*pipelinesScreen](t, f)
	f.ui(func() { ps.delete(p) })
	f.eventually(t, "the conflict shown", func() bool { return strings.Contains(strings.ToLower(ps.info.Text), "channel") })
}

// countDeadCells fills the first row's cells as the table does and counts
// those tinted red. (The test driver's table makes no cells of its own.)
func countDeadCells(s *channelsScreen) int {
	n := 0
	for col := range channelColumns {
		cell := newTintedCell()
		s.updateCell(widget.TableCellID{Row: 0, Col: col}, cell)
		bg := cell.(*fyne.Container).Objects[0].(*canvas.Rectangle)
		label := cell.(*fyne.Container).Objects[1].(*widget.Label)
		if bg.FillColor == deadRowColor && label.Importance == widget.DangerImportance {
			n++
		}
	}
	return n
}

func TestOperatorSeesNoEditButtons(t *testing.T) {
	edits := []string{"Add channel", "Add streamer", "Add pipeline", "Edit", "Delete", "Upload logo…"}
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
				for _, title := range []string{"Channels", "Streamers", "Pipelines"} {
					var found []string
					for _, e := range edits {
						if button(f.tab(t, title).Content, e) != nil {
							found = append(found, e)
						}
					}
					if (len(found) > 0) != tt.wantEdit {
						t.Errorf("%s on %s: got edit buttons %q, want any: %v", tt.role, title, found, tt.wantEdit)
					}
				}
			})
		})
	}
}

// TestDashboardMarkup renders the dashboard of a fixed fleet.
func TestDashboardMarkup(t *testing.T) {
	test.NewTempApp(t)
	win := test.NewWindow(nil)
	defer win.Close()
	w := New(&notifyingApp{App: fyne.CurrentApp()}, win, session.New(session.Config{Prefs: &memPrefs{}}))
	s := newDashboardScreen(w)
	win.SetContent(s.buildUI())
	win.Resize(fyne.NewSize(1000, 640))
	s.show(fixedDashboard(t))
	test.AssertRendersToMarkup(t, "dashboard.xml", win.Canvas())
}

func fixedDashboard(t *testing.T) dashboardData {
	t.Helper()
	at := time.Date(2025, 3, 1, 12, 0, 0, 0, time.Local) // the charts label local time
	var d dashboardData
	raw := `{"streamers":[
	  {"id":1,"name":"ingest1","health":"up","clients":0,"input_kbps":12000,"output_kbps":12000,"version":"24.12"},
	  {"id":2,"name":"edge1","health":"up","clients":130,"input_kbps":12000,"output_kbps":410000,"version":"24.12"},
	  {"id":3,"name":"edge2","health":"down","last_error":"connection refused"}],
	 "channels":[
	  {"channel_id":1,"channel":"news","steps":[{"position":0,"role":"ingest","placement":"one","streamer_ids":[1],"alive":[1]}]},
	  {"channel_id":2,"channel":"sport","steps":[{"position":0,"role":"ingest","placement":"one","streamer_ids":[1],"alive":[]}]}]}`
	if err := json.Unmarshal([]byte(raw), &d.Fleet); err != nil {
		t.Fatal(err)
	}
	for i, st := range d.Fleet.Streamers {
		h := api.StreamerHistory{StreamerID: st.ID}
		for m := range 12 {
			h.Samples = append(h.Samples, api.StreamerSample{At: at.Add(time.Duration(m) * 5 * time.Minute), Up: true,
				Clients: int64((i + 1) * (m*m%17 + 3)), OutputKbps: int64((i + 1) * (1000 + 150*m))})
		}
		d.History = append(d.History, h)
	}
	d.Channel = "news"
	ch := api.ChannelStreamerHistory{StreamerID: 1}
	for m := range 12 {
		ch.Samples = append(ch.Samples, api.StreamSample{At: at.Add(time.Duration(m) * 5 * time.Minute), Healthy: true,
			Clients: int64(10 + m%4*5), InputKbps: int64(4000 + m%3*200)})
	}
	d.ChannelH = api.ChannelHistory{Channel: "news", Streamers: []api.ChannelStreamerHistory{ch}}
	return d
}

// TestScreensReloadAfterReconnect creates a channel while the event stream
// is down, so its change event reaches no one, and expects the list to show
// it once the stream is back.
func TestScreensReloadAfterReconnect(t *testing.T) {
	f := setup(t)
	f.signIn(t, "admin", servertest.AdminPassword)
	f.waitState(t, session.StateConnected)
	s := screenOf[*channelsScreen](t, f)
	created := make(chan error, 1)
	var once sync.Once
	// State callbacks run on the session's goroutine before it waits to
	// reconnect, so the channel is committed while no socket is open.
	f.sess.OnState(func(st session.State, _ error) {
		if st != session.StateReconnecting {
			return
		}
		once.Do(func() {
			_, err := f.srv.Admin.CreateChannel(context.Background(), api.ChannelCreate{Name: "missed", Title: "Missed",
				Sources: []api.Source{{URL: "udp://239.0.0.9:1234"}}})
			created <- err
		})
	})
	f.srv.App.Events().CloseAll()
	if err := <-created; err != nil {
		t.Fatal(err)
	}
	f.waitState(t, session.StateConnected)
	f.eventually(t, "the channel created during the break", func() bool {
		return len(s.channels) == 1 && s.channels[0].Name == "missed"
	})
}

// runChannels runs a channel for each stream on one simulated streamer,
// through a one-step pipeline, and polls it once.
func runChannels(t *testing.T, f *fixture, streams ...servertest.SimStream) (*servertest.Simulator, api.Pipeline) {
	t.Helper()
	ctx := context.Background()
	sim := servertest.StartSimulator(t, servertest.SimulatorOptions{Hostname: "sim1.test", Streams: streams})
	st, err := f.srv.Admin.CreateStreamer(ctx, api.StreamerCreate{Name: "sim1", APIURL: sim.URL(), Roles: []string{api.RoleIngest}})
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.srv.Admin.CreatePipeline(ctx, api.Pipeline{Name: "direct",
		Steps: []api.PipelineStep{{Role: api.RoleIngest, Placement: api.PlacementOne, StreamerIDs: []int64{st.ID}}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range streams {
		if _, err := f.srv.Admin.CreateChannel(ctx, api.ChannelCreate{Name: s.Name, Title: "Channel " + s.Name, PipelineID: &p.ID,
			Sources: []api.Source{{URL: "udp://239.0.0.1:1234"}}}); err != nil {
			t.Fatal(err)
		}
	}
	servertest.PollNow(t, f.srv)
	return sim, p
}
