package ui

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"canale/desktop/internal/session"
	"canale/shared/api"
	"canale/shared/buildinfo"
	"canale/shared/client"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Session is what the UI needs from desktop/internal/session.
type Session interface {
	Login(ctx context.Context, cr session.Credentials) (api.Me, error)
	Logout(ctx context.Context) error
	Me() api.Me
	API() *client.Client
	Servers() []session.Server
	OnState(fn func(session.State, error))
	OnEvent(fn func(api.Event))
}

// screen is one entry of the sidebar.
type screen interface {
	buildUI() fyne.CanvasObject
}

// eventReceiver is a screen that follows server events; onEvent runs on the
// UI thread.
type eventReceiver interface {
	onEvent(e api.Event)
}

// resyncer is a screen that reloads what it shows when the event stream
// comes back after a break: the events sent meanwhile are lost, so only a
// reload makes the screen true again.
type resyncer interface {
	resync()
}

// screenSpec says how to make a screen after sign-in.
type screenSpec struct {
	title string
	icon  fyne.Resource
	make  func(w *Window) screen
}

// Window is the app's main window content.
type Window struct {
	app   fyne.App
	win   fyne.Window
	sess  Session
	build buildinfo.Info // for About

	// uiMu serializes UI updates started from goroutines. In the real app
	// fyne.Do already runs them one at a time on the main thread; under the
	// test driver fyne.Do runs fn at once on the caller's goroutine.
	uiMu    sync.Mutex
	pending inflight // background work in flight, for tests

	connect  *connectScreen
	status   *statusBar
	tabs     *sidebar
	screens  []screen
	alerts   *alertsScreen
	signedIn bool
	extra    []screenSpec  // screens added by tests
	state    session.State // of the event stream, last seen

	// life ends when the signed-in screens go away, stopping their timers.
	life    context.Context
	endLife context.CancelFunc
	// fleetRefresh is how often fleet screens reload /fleet; 0 only on events.
	fleetRefresh time.Duration
}

// New builds the window's content on win, starting at the connect screen.
func New(a fyne.App, win fyne.Window, sess Session) *Window {
	w := &Window{app: a, win: win, sess: sess, build: buildinfo.New("", ""), fleetRefresh: 5 * time.Second}
	w.life, w.endLife = context.WithCancel(context.Background())
	w.endLife()
	w.connect = newConnectScreen(w)
	w.status = newStatusBar(w)
	sess.OnState(func(st session.State, err error) { w.do(func() { w.onState(st, err) }) })
	sess.OnEvent(func(e api.Event) { w.do(func() { w.onEvent(e) }) })
	win.SetContent(w.connect.buildUI())
	return w
}

// screenSpecs lists the sidebar, top to bottom. Add new screens here.
func (w *Window) screenSpecs() []screenSpec {
	specs := []screenSpec{
		{title: "Dashboard", icon: theme.HomeIcon(), make: func(w *Window) screen { return newDashboardScreen(w) }},
		{title: "Channels", icon: theme.MediaVideoIcon(), make: func(w *Window) screen { return newChannelsScreen(w) }},
		{title: "Streamers", icon: theme.ComputerIcon(), make: func(w *Window) screen { return newStreamersScreen(w) }},
		{title: "Pipelines", icon: theme.StorageIcon(), make: func(w *Window) screen { return newPipelinesScreen(w) }},
		{title: "Packages", icon: theme.StorageIcon(), make: func(w *Window) screen { return newPackagesScreen(w) }},
		{title: "Subscribers", icon: theme.AccountIcon(), make: func(w *Window) screen { return newSubscribersScreen(w) }},
		{title: "Resellers", icon: theme.HomeIcon(), make: func(w *Window) screen { return newResellersScreen(w) }},
		{title: "Sessions", icon: theme.MediaVideoIcon(), make: func(w *Window) screen { return newSessionsScreen(w) }},
		{title: "EPG sources", icon: theme.CalendarIcon(), make: func(w *Window) screen { return newEPGScreen(w) }},
		{title: "Alerts", icon: theme.WarningIcon(), make: func(w *Window) screen { return w.alerts }},
		{title: "Audit log", icon: theme.HistoryIcon(), make: func(w *Window) screen { return newAuditScreen(w) }},
		{title: "Staff", icon: theme.AccountIcon(), make: func(w *Window) screen { return newStaffScreen(w) }},
		{title: "Config", icon: theme.SettingsIcon(), make: func(w *Window) screen { return newConfigScreen(w) }},
		{title: "Series", icon: theme.MediaVideoIcon(), make: func(w *Window) screen { return newSeriesScreen(w) }},
	}
	return append(specs, w.extra...)
}

// showMain replaces the connect screen with the signed-in screens; they are
// built anew for every sign-in so none keeps data of the last account.
func (w *Window) showMain(me api.Me) {
	w.signedIn = true
	w.endLife()
	w.life, w.endLife = context.WithCancel(context.Background())
	w.alerts = newAlertsScreen(w)
	w.screens = nil
	w.tabs = newSidebar()
	w.tabs.OnSelected = func(it *container.TabItem) { w.win.SetTitle(windowTitle + " — " + it.Text) }
	for _, spec := range w.screenSpecs() {
		sc := spec.make(w)
		w.screens = append(w.screens, sc)
		w.tabs.Append(container.NewTabItemWithIcon(spec.title, navIcon(spec), sc.buildUI()))
	}
	if me.Admin.TOTPRequired && !me.Admin.TOTPEnabled {
		// Until the account enrols, its token reaches nothing else.
		for _, it := range w.tabs.Items {
			if it.Text == "Staff" {
				w.tabs.Select(it)
			}
		}
	}
	w.status.signedIn(me)
	w.win.SetContent(container.NewBorder(nil, w.status.buildUI(), nil, nil, w.tabs.buildUI()))
	w.win.SetTitle(windowTitle + " — " + w.tabs.Selected().Text)
	w.addShortcuts()
}

// showConnect returns to the connect screen, with why if the server ended
// the session.
func (w *Window) showConnect(why error) {
	w.signedIn = false
	w.endLife()
	w.screens, w.alerts, w.tabs = nil, nil, nil
	w.removeShortcuts()
	w.connect.showError(why)
	w.win.SetContent(w.connect.buildUI())
	w.win.SetTitle(windowTitle)
}

func (w *Window) onState(st session.State, err error) {
	prev := w.state
	w.state = st
	w.status.setState(st, err)
	if st == session.StateConnected && prev == session.StateReconnecting {
		for _, sc := range w.screens {
			if r, ok := sc.(resyncer); ok {
				r.resync()
			}
		}
	}
	if st == session.StateOffline && w.signedIn {
		w.showConnect(err)
	}
}

func (w *Window) onEvent(e api.Event) {
	for _, sc := range w.screens {
		if r, ok := sc.(eventReceiver); ok {
			r.onEvent(e)
		}
	}
}

// setTabBadge shows a count after a tab's title ("Alerts (3)").
func (w *Window) setTabBadge(title string, n int) {
	if w.tabs == nil {
		return
	}
	for _, it := range w.tabs.Items {
		if it.Text == title || strings.HasPrefix(it.Text, title+" (") {
			it.Text = title
			if n > 0 {
				it.Text = title + " (" + strconv.Itoa(n) + ")"
			}
		}
	}
	w.tabs.Refresh()
	if sel := w.tabs.Selected(); sel != nil {
		w.win.SetTitle(windowTitle + " — " + sel.Text) // the badge shows in the task bar too
	}
}

// canWrite reports whether the signed-in role may change data.
func (w *Window) canWrite() bool { return w.sess.Me().Admin.Role.CanWrite() }

// editButton returns a button for a change of data, or nil for read-only
// roles: an operator should not see controls that can only fail.
func (w *Window) editButton(label string, icon fyne.Resource, tapped func()) *widget.Button {
	if !w.canWrite() {
		return nil
	}
	return &widget.Button{Text: label, Icon: icon, OnTapped: tapped}
}

// do runs fn on the UI thread, one at a time.
func (w *Window) do(fn func()) {
	fyne.Do(func() {
		w.uiMu.Lock()
		defer w.uiMu.Unlock()
		fn()
	})
}

// async runs work in the background and then the UI update it returns.
func (w *Window) async(work func() (update func())) {
	w.pending.Add(1)
	go func() {
		defer w.pending.Done()
		update := work()
		w.do(update)
	}()
}

// message turns an error into a sentence for a person.
func message(err error) string {
	s := err.Error()
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:] + "."
}

// every calls fn on the UI thread every fleetRefresh until the signed-in
// screens go away. fn should start its work with async.
func (w *Window) every(fn func()) {
	if w.fleetRefresh <= 0 {
		return
	}
	life, d := w.life, w.fleetRefresh
	go func() {
		t := time.NewTicker(d)
		defer t.Stop()
		for {
			select {
			case <-life.Done():
				return
			case <-t.C:
				w.do(func() {
					if life.Err() == nil {
						fn()
					}
				})
			}
		}
	}()
}

// openAlerts counts the alerts not yet acknowledged.
func (w *Window) openAlerts() int {
	if w.alerts == nil {
		return 0
	}
	return len(w.alerts.open)
}
