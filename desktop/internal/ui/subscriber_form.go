package ui

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"canale/shared/api"
	"canale/shared/client"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// expiryLayout is how the form shows and reads expiry times (local time).
const expiryLayout = "2006-01-02 15:04"

// conflictText is shown when the subscriber changed since it was opened.
const conflictText = "CONFLICT: someone else changed this subscriber since you opened it, so your changes were not saved. " +
	"Reload to see the current version, then make your change again."

// subscriberForm edits one subscriber. Saves send the version that was
// shown; a stale one is refused by the server, and the form then offers to
// reload instead of overwriting someone else's change.
type subscriberForm struct {
	w   *Window
	s   *subscribersScreen
	sub api.Subscriber // as last read; ID 0 while creating

	login, name, contact     *keyEntry
	password                 *widget.Entry
	status                   *widget.Select
	expiry, maxSessions      *keyEntry
	packages                 *idPicker
	ips, agents, notes       *widget.Entry
	balance, payment         *keyEntry
	token, m3u, m3uTS, xmltv *widget.Label
	outcome                  *widget.Label
	reload                   *widget.Button
	history                  *widget.Check
	sessions                 []api.PlaySession
	sessTable                *fitTable
	ui                       fyne.CanvasObject
	tuner                    *widget.Label // the HDHomeRun tuner URL for Plex or Jellyfin
	devices                  *devicePanel
	// packageTuners lists a tuner per package held, see showPackageTuners.
	packageTuners *fyne.Container
	// The actions besides Save, nil for read-only roles; updateActions
	// enables those that apply to the subscriber shown.
	resetToken, extend, enable, disable, resetTuner *widget.Button
	fields                                          *fieldForm    // a save's errors next to the fields they name
	refused                                         *widget.Label // the last hour's refused plays, in one line
}

func newSubscriberForm(w *Window, s *subscribersScreen) *subscriberForm {
	f := &subscriberForm{w: w, s: s, login: w.entry("", ""), password: widget.NewPasswordEntry(),
		name: w.entry("", ""), contact: w.entry("", ""),
		status: &widget.Select{Options: []string{api.StatusActive, api.StatusDisabled, api.StatusBanned}},
		expiry: w.entry("", "e.g. 2030-12-31 23:59 (empty: never)"), maxSessions: w.entry("", "e.g. 2 (0: no limit)"),
		ips: multiLine("one IP or CIDR per line"), agents: multiLine("one user agent per line"), notes: multiLine(""),
		balance: w.entry("", "e.g. 12.50"), payment: w.entry("", ""),
		token: &widget.Label{TextStyle: fyne.TextStyle{Monospace: true}}, m3u: &widget.Label{}, m3uTS: &widget.Label{}, xmltv: &widget.Label{},
		outcome: statusLabel(), tuner: &widget.Label{}, packageTuners: container.NewVBox()}
	f.password.PlaceHolder = "unchanged (write-only)"
	f.packages = newIDPicker(w, "packages", f.searchPackages)
	f.reload = &widget.Button{Text: "Reload", Icon: theme.ViewRefreshIcon(), Importance: widget.WarningImportance, OnTapped: f.onReload}
	f.reload.Hide()
	f.history = &widget.Check{Text: "Include ended sessions", OnChanged: func(bool) { f.loadSessions() }}
	f.sessTable = newTextTable(sessionHistoryColumns, func() []api.PlaySession { return f.sessions }, nil)
	f.devices = newDevicePanel(w)
	f.refused = &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.WarningImportance}
	f.resetToken = w.editButton("Reset token", theme.ViewRefreshIcon(), f.onResetToken)
	f.extend = w.editButton("Extend", theme.HistoryIcon(), f.onExtend)
	f.enable = w.editButton("Enable", theme.MediaPlayIcon(), func() { f.action("enable") })
	f.disable = w.editButton("Disable", theme.MediaPauseIcon(), func() { f.action("disable") })
	f.resetTuner = w.editButton("Reset tuner", theme.ViewRefreshIcon(), f.onResetTuner)
	f.updateActions()
	f.fields = newFieldForm([]formField{
		{label: "Login", key: "login", widget: f.login}, {label: "Password", key: "password", widget: f.password},
		{label: "Name", key: "name", widget: f.name}, {label: "Contact", key: "contact", widget: f.contact},
		{label: "Status", key: "status", widget: f.status}, {label: "Expires", key: "expires_at", widget: f.expiry},
		{label: "Max sessions", key: "max_sessions", widget: f.maxSessions},
		{label: "Packages", key: "package_ids", widget: f.packages.buildUI()},
		{label: "Allowed IPs", key: "allowed_ips", widget: f.ips},
		{label: "Allowed user agents", key: "allowed_user_agents", widget: f.agents},
		{label: "Notes", key: "notes", widget: f.notes}, {label: "Balance", key: "balance", widget: f.balance},
		{label: "Payment info", key: "payment_info", widget: f.payment},
		{label: "Playback token", widget: w.copyRow(f.token)},
		{label: "M3U (HLS)", widget: w.copyRow(f.m3u)}, {label: "M3U (MPEG-TS)", widget: w.copyRow(f.m3uTS)},
		{label: "XMLTV guide", widget: w.copyRow(f.xmltv)},
		{label: "HDHomeRun tuner", widget: w.copyRow(f.tuner)},
		{label: "Package tuners", widget: f.packageTuners},
	})
	return f
}

func multiLine(placeholder string) *widget.Entry {
	e := widget.NewMultiLineEntry()
	e.PlaceHolder = placeholder
	e.SetMinRowsVisible(2)
	return e
}

func (f *subscriberForm) buildUI() fyne.CanvasObject {
	if f.ui != nil {
		return f.ui
	}
	actions := wrapBar(f.w.editButton("Save", theme.DocumentSaveIcon(), f.onSave),
		f.resetToken, f.extend, f.enable, f.disable, f.resetTuner)
	sessions := container.NewBorder(container.NewHBox(&widget.Label{Text: "Sessions", TextStyle: fyne.TextStyle{Bold: true}}, f.history),
		f.refused, nil, nil, tall(180, f.sessTable))
	f.ui = container.NewVScroll(container.NewVBox(f.fields.form(), f.fields.errText, actions, container.NewBorder(nil, nil, nil, f.reload, f.outcome), sessions,
		f.devices.buildUI()))
	return f.ui
}

// show puts sub into the form; a zero ID starts a new subscriber.
func (f *subscriberForm) show(sub api.Subscriber) {
	f.sub = sub
	f.login.SetText(sub.Login)
	f.password.SetText("")
	f.name.SetText(sub.Name)
	f.contact.SetText(sub.Contact)
	f.status.SetSelected(sub.Status)
	f.expiry.SetText("")
	if sub.ExpiresAt != nil {
		f.expiry.SetText(sub.ExpiresAt.Local().Format(expiryLayout))
	}
	f.maxSessions.SetText(strconv.Itoa(sub.MaxSessions))
	items := make([]pickItem, len(sub.PackageIDs))
	for i, id := range sub.PackageIDs {
		items[i] = pickItem{ID: id, Label: f.s.packageName(id)}
	}
	f.packages.set(items)
	f.ips.SetText(strings.Join(sub.AllowedIPs, "\n"))
	f.agents.SetText(strings.Join(sub.AllowedUserAgents, "\n"))
	f.notes.SetText(sub.Notes)
	f.balance.SetText(strconv.FormatFloat(sub.Balance, 'f', -1, 64))
	f.payment.SetText(sub.PaymentInfo)
	f.showLinks()
	f.updateActions()
	f.fields.setError(nil)
	f.outcome.SetText("")
	f.reload.Hide()
	f.loadSessions()
	f.devices.show(sub.ID)
}

// showLinks shows the token and the playlist and guide links it opens.
func (f *subscriberForm) showLinks() {
	t := f.sub.Token
	f.token.SetText(t)
	f.tuner.SetText(f.sub.TunerURL) // built by the server, from the external URL setting
	f.showPackageTuners()
	if t == "" {
		f.m3u.SetText("")
		f.m3uTS.SetText("")
		f.xmltv.SetText("")
		return
	}
	// Built by the server, from the one place that serves them (and on a
	// reseller's DNS when it has one): the desktop never spells a path.
	f.m3u.SetText(f.sub.PlaylistURL)
	f.m3uTS.SetText(f.sub.PlaylistTSURL)
	f.xmltv.SetText(f.sub.EPGURL)
}

// updateActions enables only the actions that apply to the subscriber
// shown: none but Save while creating, Enable only when not active,
// Disable only when active.
func (f *subscriberForm) updateActions() {
	saved := f.sub.ID != 0
	setEnabled(saved, f.resetToken, f.extend, f.resetTuner)
	setEnabled(saved && f.sub.Status != api.StatusActive, f.enable)
	setEnabled(saved && f.sub.Status == api.StatusActive, f.disable)
}

func (f *subscriberForm) searchPackages(ctx context.Context, q string) ([]pickItem, error) {
	page, err := f.w.sess.API().Packages(ctx, api.PackageFilter{}, api.ListParams{Query: q, Limit: 100})
	out := make([]pickItem, len(page.Items))
	for i, p := range page.Items {
		out[i] = pickItem{ID: p.ID, Label: p.Name}
	}
	return out, err
}

// read collects the form into a subscriber, or says which field is wrong.
func (f *subscriberForm) read() (api.Subscriber, error) {
	sub := api.Subscriber{Login: strings.TrimSpace(f.login.Text), Password: f.password.Text, Name: f.name.Text,
		Contact: f.contact.Text, Status: f.status.Selected, PackageIDs: f.packages.ids(), AllowedIPs: lines(f.ips.Text),
		AllowedUserAgents: lines(f.agents.Text), Notes: f.notes.Text, PaymentInfo: f.payment.Text}
	var err error
	if sub.MaxSessions, err = intField("max_sessions", f.maxSessions.Text); err != nil {
		return sub, err
	}
	if b := strings.TrimSpace(f.balance.Text); b != "" {
		if sub.Balance, err = strconv.ParseFloat(b, 64); err != nil {
			return sub, invalidField("balance", "must be a number, e.g. 12.50")
		}
	}
	if e := strings.TrimSpace(f.expiry.Text); e != "" {
		t, err := time.ParseInLocation(expiryLayout, e, time.Local)
		if err != nil {
			if t, err = time.ParseInLocation(time.DateOnly, e, time.Local); err != nil {
				return sub, invalidField("expires_at", "must look like 2030-12-31 23:59")
			}
		}
		sub.ExpiresAt = &t
	}
	return sub, nil
}

// update is the change that makes the stored subscriber look like sub.
func update(sub api.Subscriber, version int) api.SubscriberUpdate {
	u := api.SubscriberUpdate{Login: &sub.Login, Name: &sub.Name, Contact: &sub.Contact, Status: &sub.Status,
		ExpiresAt: sub.ExpiresAt, ClearExpiry: sub.ExpiresAt == nil, MaxSessions: &sub.MaxSessions,
		PackageIDs: &sub.PackageIDs, AllowedIPs: &sub.AllowedIPs, AllowedUserAgents: &sub.AllowedUserAgents,
		Notes: &sub.Notes, Balance: &sub.Balance, PaymentInfo: &sub.PaymentInfo, Version: version}
	if sub.Password != "" {
		u.Password = &sub.Password
	}
	return u
}

func (f *subscriberForm) onSave() {
	sub, err := f.read()
	if err != nil {
		f.outcome.SetText("")
		f.fields.setError(err)
		return
	}
	id, version := f.sub.ID, f.sub.Version
	f.call(func(ctx context.Context, c *client.Client) (api.Subscriber, error) {
		if id == 0 {
			return c.CreateSubscriber(ctx, sub)
		}
		return c.UpdateSubscriber(ctx, id, update(sub, version))
	}, "Saved.")
}

func (f *subscriberForm) onResetToken() {
	f.confirmReset("Reset playback token", "Give "+f.sub.Login+" a new playback token? Their current playlist links stop working.",
		"Reset token", "New token issued; send the subscriber the new links.", (*client.Client).ResetSubscriberToken)
}

// confirmReset asks question and, confirmed, runs reset on the subscriber
// shown, then shows done; nothing happens while a new one is being made.
func (f *subscriberForm) confirmReset(title, question, button, done string,
	reset func(*client.Client, context.Context, int64) (api.Subscriber, error)) {
	if f.sub.ID == 0 {
		return
	}
	id := f.sub.ID
	f.w.confirm(title, question, button, func() {
		f.call(func(ctx context.Context, c *client.Client) (api.Subscriber, error) {
			return reset(c, ctx, id)
		}, done)
	})
}

// onExtend asks by how much, in the app's one form dialog: a package
// (whose period is added and which the subscriber then holds) or a number
// of days.
func (f *subscriberForm) onExtend() {
	if f.sub.ID == 0 {
		return
	}
	id := f.sub.ID
	pkg := &widget.Select{Options: names(f.s.packages, func(p api.Package) string { return p.Name }), PlaceHolder: "(by days)"}
	days := f.w.entry("", "e.g. 30")
	d := newFormDialog(f.w, []formField{{label: "Package", key: "package_id", widget: pkg},
		{label: "or days", key: "days", widget: days}})
	var extended api.Subscriber
	d.open("Extend "+f.sub.Login, fyne.NewSize(420, 260), func() (saveCall, error) {
		var req api.ExtendRequest
		if i := pkg.SelectedIndex(); i >= 0 {
			req.PackageID = f.s.packages[i].ID
		} else {
			n, err := intField("days", days.Text)
			if err != nil {
				return nil, err
			}
			req.Days = n
		}
		if err := req.Validate(); err != nil {
			return nil, err
		}
		return func(ctx context.Context, c *client.Client) error {
			var err error
			extended, err = c.ExtendSubscriber(ctx, id, req)
			return err
		}, nil
	}, func() {
		f.show(extended)
		f.s.replace(extended)
		showOutcome(f.outcome, "Extended.", nil)
	})
}

func (f *subscriberForm) action(name string) {
	if f.sub.ID == 0 {
		return
	}
	id := f.sub.ID
	f.call(func(ctx context.Context, c *client.Client) (api.Subscriber, error) {
		if name == "enable" {
			return c.EnableSubscriber(ctx, id)
		}
		return c.DisableSubscriber(ctx, id)
	}, "Subscriber is now "+name+"d.")
}

// call runs a change in the background and shows its result: the saved
// subscriber, or the error (with Reload for a conflict).
func (f *subscriberForm) call(change func(context.Context, *client.Client) (api.Subscriber, error), ok string) {
	f.outcome.SetText("Saving…")
	f.fields.setError(nil)
	f.w.async(func() func() {
		ctx, cancel := callCtx()
		defer cancel()
		sub, err := change(ctx, f.w.sess.API())
		return func() {
			if isStale(err) {
				f.showConflict()
				return
			}
			if isInvalid(err) {
				f.outcome.SetText("")
				f.fields.setError(err)
				return
			}
			if err != nil {
				showOutcome(f.outcome, "", err)
				return
			}
			created := f.sub.ID == 0
			f.show(sub)
			f.s.replace(sub)
			if created {
				f.s.onSearch()
			}
			showOutcome(f.outcome, ok, nil)
		}
	})
}

func (f *subscriberForm) showConflict() {
	f.outcome.Importance = widget.DangerImportance
	f.outcome.SetText(conflictText)
	f.reload.Show()
}

// onReload shows the current version, dropping the edits that conflicted.
func (f *subscriberForm) onReload() {
	id := f.sub.ID
	f.w.async(func() func() {
		ctx, cancel := callCtx()
		defer cancel()
		sub, err := f.w.sess.API().Subscriber(ctx, id)
		return func() {
			if err != nil {
				showOutcome(f.outcome, "", err)
				return
			}
			f.show(sub)
			f.s.replace(sub)
		}
	})
}

// loadSessions fetches the open subscriber's play sessions.
func (f *subscriberForm) loadSessions() {
	id, login, history := f.sub.ID, f.sub.Login, f.history.Checked
	if id == 0 {
		f.sessions = nil
		f.sessTable.Refresh()
		f.refused.SetText("")
		return
	}
	f.w.async(func() func() {
		ctx, cancel := callCtx()
		defer cancel()
		c := f.w.sess.API()
		if c == nil {
			return func() {}
		}
		page, err := c.PlaySessions(ctx, api.PlaySessionFilter{SubscriberID: id, History: history}, api.ListParams{Limit: 100})
		refused, rerr := c.PlayRefusals(ctx, api.PlayRefusalFilter{SubscriberLogin: login}, api.ListParams{Limit: 100})
		return func() {
			if f.sub.ID != id {
				return
			}
			if err == nil {
				f.sessions = page.Items
				f.sessTable.Refresh()
			}
			if rerr == nil {
				f.refused.SetText(refusedSummary(refused.Items))
			}
		}
	})
}

// refusedSummary answers "why can't this customer watch" beside their
// sessions: how many plays were refused in the last hour, and the latest
// reason in words.
func refusedSummary(rs []api.PlayRefusal) string {
	if len(rs) == 0 {
		return "No play refused in the last hour."
	}
	last := rs[0]
	return fmt.Sprintf("%d plays refused in the last hour; the latest at %s on %s: %s (%s).",
		len(rs), last.At.Local().Format("15:04:05"), last.Name, last.ReasonTitle, last.Reason)
}
