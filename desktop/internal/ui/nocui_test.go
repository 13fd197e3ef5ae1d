package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"canale/shared/api"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

func TestFormatBitrate(t *testing.T) {
	tests := []struct {
		bps  float64
		want string
	}{
		{0, "0 bit/s"},
		{-5, "0 bit/s"},
		{999, "999 bit/s"},
		{1000, "1 kbit/s"},
		{1500, "1.5 kbit/s"},
		{64_000, "64 kbit/s"},
		{999_400, "999 kbit/s"},
		{999_600, "1 Mbit/s"}, // rounds up into the next unit, not "1000 kbit/s"
		{4_100_000, "4.1 Mbit/s"},
		{12_460_000, "12.5 Mbit/s"},
		{298_000_000, "298 Mbit/s"},
		{1_250_000_000, "1.25 Gbit/s"},
		{40e9, "40 Gbit/s"},
	}
	for _, tt := range tests {
		if got := formatBitrate(tt.bps); got != tt.want {
			t.Errorf("formatBitrate(%v) = %q, want %q", tt.bps, got, tt.want)
		}
	}
	if got, want := formatKbps(298_000), "298 Mbit/s"; got != want {
		t.Errorf("formatKbps(298000) = %q, want %q", got, want)
	}
}

func TestTimeTicks(t *testing.T) {
	at := func(h, m, s int) time.Time { return time.Date(2026, 12, 7, h, m, s, 0, time.Local) }
	tests := []struct {
		name     string
		from, to time.Time
		want     []string
	}{
		{"an hour", at(10, 0, 0), at(11, 0, 0), []string{"10:00", "10:15", "10:30", "10:45", "11:00"}},
		{"an odd hour", at(10, 7, 30), at(11, 7, 30), []string{"10:15", "10:30", "10:45", "11:00"}},
		{"twenty minutes", at(9, 58, 0), at(10, 18, 0), []string{"10:00", "10:05", "10:10", "10:15"}},
		{"a minute", at(10, 0, 5), at(10, 1, 5), []string{"10:00:15", "10:00:30", "10:00:45", "10:01:00"}},
		{"a day", at(0, 0, 0), at(0, 0, 0).Add(24 * time.Hour), []string{"00:00", "06:00", "12:00", "18:00", "00:00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ticks := timeTicks(tt.from, tt.to, chartXTicks)
			var got []string
			for _, tk := range ticks {
				got = append(got, tickLabel(tk, ticks))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("ticks %q, want %q", got, tt.want)
			}
		})
	}
	if got := timeTicks(at(0, 0, 0), at(0, 0, 0).AddDate(0, 0, 30), chartXTicks); len(got) > chartXTicks {
		t.Errorf("30 days: %d ticks, want at most %d", len(got), chartXTicks)
	}
}

// TestChartAxesAndHover lays a bitrate chart out and reads what it draws:
// time labels that span the samples, round value labels in Mbit/s with a
// gridline each, and the values at the pointer's time.
func TestChartAxesAndHover(t *testing.T) {
	test.NewTempApp(t)
	start := time.Date(2026, 12, 7, 10, 0, 0, 0, time.Local)
	s := chartSeries{Name: "edge1"}
	for m := 0; m <= 60; m += 5 {
		s.Times = append(s.Times, start.Add(time.Duration(m)*time.Minute))
		s.Values = append(s.Values, float64(200_000+m*1_500)) // kbit/s, peak 290 Mbit/s at 11:00
	}
	c := newKbpsChart("Output")
	c.SetSeries([]chartSeries{s})
	c.Resize(fyne.NewSize(600, 300))
	r := test.TempWidgetRenderer(t, c).(*chartRenderer)
	r.Layout(c.Size())

	texts := func(ts []*canvas.Text) []string {
		var out []string
		for _, t := range ts {
			out = append(out, t.Text)
		}
		return out
	}
	if got, want := texts(r.xLabels), []string{"10:00", "10:15", "10:30", "10:45", "11:00"}; !slices.Equal(got, want) {
		t.Errorf("time labels %q, want %q", got, want)
	}
	if got, want := texts(r.yLabels), []string{"0 bit/s", "100 Mbit/s", "200 Mbit/s", "300 Mbit/s"}; !slices.Equal(got, want) {
		t.Errorf("value labels %q, want %q", got, want)
	}
	if len(r.yGrid) != len(r.yLabels) || len(r.xGrid) != len(r.xLabels) {
		t.Errorf("%d/%d gridlines for %d/%d labels", len(r.xGrid), len(r.yGrid), len(r.xLabels), len(r.yLabels))
	}
	// The first tick is on the axis, the last at its right end.
	x0, _, w, _ := r.plot()
	if p := r.xGrid[0].Position1.X; p != x0 {
		t.Errorf("10:00 gridline at x=%v, want the axis at %v", p, x0)
	}
	if p := r.xGrid[len(r.xGrid)-1].Position1.X; p != x0+w {
		t.Errorf("11:00 gridline at x=%v, want the right end %v", p, x0+w)
	}
	if got := texts(r.tip); len(got) != 0 {
		t.Errorf("tooltip %q before the pointer came", got)
	}

	// Half way along is 10:30, when edge1 sent 245 Mbit/s.
	c.MouseIn(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(x0+w/2, 100)}})
	if got, want := texts(r.tip), []string{"10:30:00", "edge1: 245 Mbit/s"}; !slices.Equal(got, want) {
		t.Errorf("tooltip %q, want %q", got, want)
	}
	if r.cursor.Hidden || r.tipBox.Hidden {
		t.Error("no cursor line or tooltip box under the pointer")
	}
	c.MouseOut()
	if !r.tipBox.Hidden || len(r.tip) != 0 {
		t.Error("the tooltip stayed after the pointer left")
	}
}

// TestAlertRowShowsSeverity renders one row per severity: each has its own
// word, colour and icon, and a resolved alert says when it was closed.
func TestAlertRowShowsSeverity(t *testing.T) {
	test.NewTempApp(t)
	s := &alertsScreen{rows: map[*fyne.Container]*alertRow{}}
	at := time.Date(2026, 12, 6, 21, 5, 9, 0, time.Local)
	closed := at.Add(3 * time.Minute)
	rows := map[api.Severity]*alertRow{}
	for _, sev := range []api.Severity{api.SeverityCritical, api.SeverityWarning, api.SeverityInfo} {
		r := s.rows[s.createItem().(*fyne.Container)]
		r.show(api.Alert{Severity: sev, Subject: "edge2", Message: "stopped answering", At: at})
		rows[sev] = r
	}
	seen := map[string]bool{}
	for sev, r := range rows {
		if got, want := r.severity.Text, strings.ToUpper(string(sev)); got != want {
			t.Errorf("%s: word %q, want %q", sev, got, want)
		}
		if got, want := r.at.Text, "2026-12-06 21:05:09"; got != want {
			t.Errorf("%s: time %q, want %q", sev, got, want)
		}
		if r.resolved.Visible() {
			t.Errorf("%s: shows %q while open", sev, r.resolved.Text)
		}
		key := r.icon.Resource.Name() + "/" + string(rune('0'+r.severity.Importance))
		if seen[key] {
			t.Errorf("%s looks like another severity: icon and colour %s", sev, key)
		}
		seen[key] = true
	}
	if rows[api.SeverityCritical].severity.Importance != widget.DangerImportance {
		t.Error("a critical alert is not in the danger colour")
	}

	r := rows[api.SeverityCritical]
	r.show(api.Alert{Severity: api.SeverityCritical, Subject: "edge2", Message: "stopped answering", At: at, ResolvedAt: &closed})
	if !r.resolved.Visible() || r.resolved.Text != "Resolved 2026-12-06 21:08:09" {
		t.Errorf("resolved alert shows %q (visible %v), want its closing time", r.resolved.Text, r.resolved.Visible())
	}
	if !r.text.TextStyle.Italic {
		t.Error("a resolved alert reads like an open one")
	}
}

// TestTableColumnsFillTheWidth puts a table with one long column in a wide
// window: no value is cut while the table has room, and the columns fill
// it. In a narrow window the columns keep their least widths and headers.
func TestTableColumnsFillTheWidth(t *testing.T) {
	test.NewTempApp(t)
	type row struct{ name, placed string }
	rows := []row{{"news", "ingest: ingest1, edge: edge1 edge2 edge3 edge4 edge5"}, {"sport", "ingest: ingest1"}}
	cols := []textColumn[row]{
		{title: "Name", width: 80, value: func(r row) string { return r.name }},
		{title: "Placed on", width: 120, value: func(r row) string { return r.placed }},
		{title: "Pipeline of the channel", width: 40, value: func(row) string { return "ott" }},
	}
	tbl := newTextTable(cols, func() []row { return rows }, nil)
	win := test.NewWindow(tbl)
	defer win.Close()
	win.SetPadded(false)

	win.Resize(fyne.NewSize(1400, 300))
	inner := 2 * theme.InnerPadding()
	var sum float32
	for i, c := range cols {
		w := tbl.widths[i]
		sum += w + theme.Padding()
		for _, r := range rows {
			if need := textWidth(c.value(r), fyne.TextStyle{}) + inner; need > w {
				t.Errorf("at 1400 px: %s %q needs %v px, column is %v", c.title, c.value(r), need, w)
			}
		}
		if need := textWidth(c.title, fyne.TextStyle{Bold: true}) + inner; need > w {
			t.Errorf("at 1400 px: header %q needs %v px, column is %v", c.title, need, w)
		}
	}
	if sum < 1400-float32(len(cols)) || sum > 1400 {
		t.Errorf("at 1400 px the columns take %v px, want the width", sum)
	}

	win.Resize(fyne.NewSize(300, 300))
	for i, c := range cols {
		header := textWidth(c.title, fyne.TextStyle{Bold: true}) + inner
		if w := tbl.widths[i]; w < c.width || w < header {
			t.Errorf("at 300 px: %s is %v px, below its least %v or header %v", c.title, w, c.width, header)
		}
	}
}

// TestNavigation signs in and finds every screen in the sidebar with its own
// icon, a heading naming the screen shown, and the window title following.
func TestNavigation(t *testing.T) {
	f := setup(t)
	f.signInAdmin(t)
	f.ui(func() {
		icons := map[string]string{}
		for _, it := range f.w.tabs.Items {
			if other, ok := icons[it.Icon.Name()]; ok {
				t.Errorf("%s and %s share the icon %s", it.Text, other, it.Icon.Name())
			}
			icons[it.Icon.Name()] = it.Text
		}
		if got, want := f.w.tabs.heading.Text, "Dashboard"; got != want {
			t.Errorf("heading %q, want %q", got, want)
		}
		f.w.tabs.Select(f.tab(t, "Audit log"))
		if got, want := f.w.tabs.heading.Text, "Audit log"; got != want {
			t.Errorf("heading %q, want %q", got, want)
		}
		if got, want := f.win.Title(), "Canale NOC — Audit log"; got != want {
			t.Errorf("window title %q, want %q", got, want)
		}
		// The sidebar scrolls: its least height is a row, not every screen's.
		if h := f.w.tabs.list.MinSize().Height; h > 100 {
			t.Errorf("sidebar needs %v px of height; it should scroll", h)
		}
	})
}

// TestKeyboard drives the window by keys: Ctrl+Page Down steps through
// the screens, Ctrl+F reaches the search box, Ctrl+R and F5 reload, Tab
// reaches the sidebar and the table, Escape closes a dialog.
func TestKeyboard(t *testing.T) {
	counter := &countingScreen{}
	f := setup(t, screenSpec{title: "Counted", icon: theme.ListIcon(), make: func(*Window) screen { return counter }})
	f.signInAdmin(t)
	shortcut := func(s fyne.Shortcut) { f.win.Canvas().(fyne.Shortcutable).TypedShortcut(s) }
	key := func(k fyne.KeyName) { f.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: k}) }

	f.ui(func() {
		shortcut(shortcutNext)
		if got := f.w.tabs.Selected().Text; got != "Channels" {
			t.Errorf("after Ctrl+Page Down: %q, want Channels", got)
		}
		shortcut(shortcutPrev)
		shortcut(shortcutPrev)
		if got := f.w.tabs.Selected().Text; got != "Counted" {
			t.Errorf("after Ctrl+Page Up twice from Channels: %q, want the last screen, Counted", got)
		}
		shortcut(shortcutRefresh)
		key(fyne.KeyF5)
		if counter.resyncs != 2 {
			t.Errorf("Ctrl+R and F5 reloaded %d times, want 2", counter.resyncs)
		}

		f.w.tabs.Select(f.tab(t, "Channels"))
		channels := screenIn[*channelsScreen](t, f)
		shortcut(shortcutSearch)
		if got := f.win.Canvas().Focused(); got != channels.search {
			t.Errorf("Ctrl+F focused %T, want the channels' search box", got)
		}

		f.win.Canvas().Unfocus()
		var reached []fyne.Focusable
		for range 40 {
			f.win.Canvas().FocusNext()
			reached = append(reached, f.win.Canvas().Focused())
		}
		if !slices.Contains(reached, fyne.Focusable(f.w.tabs.list)) {
			t.Error("Tab never reaches the sidebar")
		}
		if !slices.Contains(reached, fyne.Focusable(channels.table)) {
			t.Error("Tab never reaches the channels table")
		}
		f.win.Canvas().Unfocus()

		answered := make(chan bool, 1)
		dialog.ShowConfirm("Delete", "Delete news?", func(ok bool) { answered <- ok }, f.win)
		if f.win.Canvas().Overlays().Top() == nil {
			t.Fatal("the dialog did not open")
		}
		key(fyne.KeyEscape)
		if top := f.win.Canvas().Overlays().Top(); top != nil {
			t.Error("Escape left the dialog open")
		}
		select {
		case ok := <-answered:
			if ok {
				t.Error("Escape confirmed the dialog")
			}
		default:
			t.Error("Escape closed the dialog without its answer")
		}

		// Where "OK" is the confirming button, Escape still cancels.
		dialog.ShowCustomConfirm("Rename", "OK", "Cancel", widget.NewLabel("news"), func(ok bool) { answered <- ok }, f.win)
		key(fyne.KeyEscape)
		select {
		case ok := <-answered:
			if ok {
				t.Error("Escape pressed the dialog's OK")
			}
		default:
			t.Error("Escape did not answer the OK/Cancel dialog")
		}
	})
}

// countingScreen counts the reloads asked of it.
type countingScreen struct{ resyncs int }

func (s *countingScreen) buildUI() fyne.CanvasObject { return widget.NewLabel("counted") }
func (s *countingScreen) resync()                    { s.resyncs++ }

// TestDashboardNamesDownStreamersAndOpensAlerts shows a fleet with a
// streamer down: the count turns red and names it; tapping the alerts card
// opens the Alerts screen.
func TestDashboardNamesDownStreamersAndOpensAlerts(t *testing.T) {
	f := setup(t)
	f.signInAdmin(t)
	f.ui(func() {
		s := screenIn[*dashboardScreen](t, f)
		s.show(fixedDashboard(t))
		if got, want := s.streamers.Text, "2 up, 1 down"; got != want {
			t.Errorf("streamers %q, want %q", got, want)
		}
		if s.streamers.Importance != widget.DangerImportance {
			t.Error("a streamer is down and the count is not red")
		}
		if !s.down.Visible() || s.down.Text != "Down: edge2" || s.down.Importance != widget.DangerImportance {
			t.Errorf("down note %q (visible %v), want a red \"Down: edge2\"", s.down.Text, s.down.Visible())
		}
		test.Tap(s.alertsCard)
		if got := f.w.tabs.Selected().Text; !strings.HasPrefix(got, "Alerts") {
			t.Errorf("tapping the alerts card shows %q, want Alerts", got)
		}
	})
}

// TestChartSpansAtLeastMinutes charts samples taken a few milliseconds
// apart, as the first poll of three streamers is: the axis still spans
// minutes, with labelled ticks, ending at the last sample.
func TestChartSpansAtLeastMinutes(t *testing.T) {
	test.NewTempApp(t)
	at := time.Date(2026, 12, 7, 21, 8, 44, 128_000_000, time.Local)
	c := newLineChart("Viewers", "viewers")
	c.SetSeries([]chartSeries{
		{Name: "edge1", Times: []time.Time{at}, Values: []float64{2}},
		{Name: "edge2", Times: []time.Time{at.Add(3 * time.Millisecond)}, Values: []float64{5}},
	})
	c.Resize(fyne.NewSize(600, 300))
	r := test.TempWidgetRenderer(t, c).(*chartRenderer)
	if got := r.to.Sub(r.from); got != chartMinSpan {
		t.Errorf("the axis spans %v, want %v", got, chartMinSpan)
	}
	if len(r.xLabels) < 3 {
		t.Errorf("%d time labels, want a few", len(r.xLabels))
	}
	// Minutes before the first sample there is no value to show.
	x0, _, _, _ := r.plot()
	c.MouseIn(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(x0+10, 100)}})
	if len(r.tip) != 0 {
		t.Errorf("tooltip %v over a time without samples", r.tip[0].Text)
	}
}
