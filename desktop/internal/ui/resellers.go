package ui

import (
	"fmt"
	"strings"

	"canale/shared/api"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

var creditLogColumns = []textColumn[api.CreditLogEntry]{
	{"When", 130, func(e api.CreditLogEntry) string { return formatTime(&e.At) }},
	{"Change", 70, func(e api.CreditLogEntry) string { return api.FormatCredits(e.DeltaMinor) }},
	{"Balance", 70, func(e api.CreditLogEntry) string { return api.FormatCredits(e.BalanceAfterMinor) }},
	{"Reason", 180, func(e api.CreditLogEntry) string { return e.Reason }},
	{"By", 100, func(e api.CreditLogEntry) string { return e.ActorLogin }},
}

// resellersScreen lists the resellers, edits one, and tops up or deducts
// its credits; every credit change is in its log with a reason.
type resellersScreen struct {
	w       *Window
	sellers []api.Reseller
	editing api.Reseller
	log     []api.CreditLogEntry

	list                                  *widget.List
	login, password, name, contact, notes *widget.Entry
	status                                *widget.Select
	credits                               *widget.Label
	delta, reason                         *widget.Entry
	logTable                              *fitTable
	outcome                               *widget.Label
	rules                                 *resellerRulesForm
}

func newResellersScreen(w *Window) *resellersScreen {
	s := &resellersScreen{w: w, login: &widget.Entry{}, password: widget.NewPasswordEntry(), name: &widget.Entry{},
		contact: &widget.Entry{}, notes: multiLine(""), status: &widget.Select{Options: []string{api.ResellerActive, api.ResellerDisabled}},
		credits: &widget.Label{}, delta: &widget.Entry{PlaceHolder: "e.g. 100 or -20.50"}, reason: &widget.Entry{PlaceHolder: "reason (kept in the log)"},
		outcome: statusLabel()}
	s.password.PlaceHolder = "unchanged (write-only)"
	s.list = &widget.List{Length: func() int { return len(s.sellers) },
		CreateItem: func() fyne.CanvasObject { return &widget.Label{Truncation: fyne.TextTruncateEllipsis} },
		UpdateItem: func(i widget.ListItemID, o fyne.CanvasObject) {
			r := s.sellers[i]
			o.(*widget.Label).SetText(fmt.Sprintf("%s — %s  [%s, %s credits]", r.Login, r.Name, r.Status, api.FormatCredits(r.CreditsMinor)))
		},
		OnSelected: func(i widget.ListItemID) { s.edit(s.sellers[i]) }}
	s.logTable = newTextTable(creditLogColumns, func() []api.CreditLogEntry { return s.log }, nil)
	s.rules = newResellerRulesForm(w, func(r api.Reseller) { s.saved(r, "Saved "+r.Login+".", nil) })
	s.load()
	return s
}

func (s *resellersScreen) buildUI() fyne.CanvasObject {
	bar := toolbar(&widget.Button{Text: "Refresh", Icon: theme.ViewRefreshIcon(), OnTapped: s.load},
		s.w.editButton("New reseller", theme.ContentAddIcon(), func() { s.edit(api.Reseller{Status: api.ResellerActive}) }))
	form := &widget.Form{Items: []*widget.FormItem{
		{Text: "Login", Widget: s.login}, {Text: "Password", Widget: s.password}, {Text: "Name", Widget: s.name},
		{Text: "Contact", Widget: s.contact}, {Text: "Status", Widget: s.status}, {Text: "Notes", Widget: s.notes},
		{Text: "Credits", Widget: s.credits},
	}}
	credit := toolbar(s.w.editButton("Apply credit change", theme.ConfirmIcon(), s.onCredit))
	var creditRow fyne.CanvasObject = container.NewVBox()
	if len(credit.Objects) > 0 {
		creditRow = container.NewBorder(nil, nil, nil, credit, container.NewGridWithColumns(2, s.delta, s.reason))
	}
	right := container.NewVScroll(container.NewVBox(form, toolbar(s.w.editButton("Save", theme.DocumentSaveIcon(), s.onSave)),
		creditRow, s.outcome, &widget.Label{Text: "Credit log", TextStyle: fyne.TextStyle{Bold: true}},
		tall(220, s.logTable), s.rules.buildUI()))
	split := container.NewHSplit(container.NewBorder(bar, nil, nil, nil, s.list), right)
	split.Offset = 0.35
	return split
}

func (s *resellersScreen) load() {
	s.w.async(func() func() {
		ctx, cancel := callCtx()
		defer cancel()
		c := s.w.sess.API()
		if c == nil {
			return func() {}
		}
		page, err := c.Resellers(ctx, api.ResellerFilter{}, api.ListParams{Limit: api.MaxLimit})
		return func() {
			if err != nil {
				showOutcome(s.outcome, "", err)
				return
			}
			s.sellers = page.Items
			s.list.Refresh()
		}
	})
}

// edit shows r; a zero ID starts a new reseller.
func (s *resellersScreen) edit(r api.Reseller) {
	s.editing = r
	s.login.SetText(r.Login)
	s.password.SetText("")
	s.name.SetText(r.Name)
	s.contact.SetText(r.Contact)
	s.status.SetSelected(r.Status)
	s.notes.SetText(r.Notes)
	s.credits.SetText(api.FormatCredits(r.CreditsMinor))
	s.outcome.SetText("")
	s.log = nil
	s.logTable.Refresh()
	s.rules.edit(r)
	if r.ID != 0 {
		s.loadLog(r.ID)
	}
}

func (s *resellersScreen) loadLog(id int64) {
	s.w.async(func() func() {
		ctx, cancel := callCtx()
		defer cancel()
		page, err := s.w.sess.API().CreditLog(ctx, id, api.ListParams{Limit: 100})
		return func() {
			if err == nil && s.editing.ID == id {
				s.log = page.Items
				s.logTable.Refresh()
			}
		}
	})
}

func (s *resellersScreen) onSave() {
	r := api.Reseller{Login: strings.TrimSpace(s.login.Text), Password: s.password.Text, Name: s.name.Text,
		Contact: s.contact.Text, Status: s.status.Selected, Notes: s.notes.Text}
	id, version := s.editing.ID, s.editing.Version
	s.w.async(func() func() {
		ctx, cancel := callCtx()
		defer cancel()
		var saved api.Reseller
		var err error
		if id == 0 {
			saved, err = s.w.sess.API().CreateReseller(ctx, r)
		} else {
			u := api.ResellerUpdate{Login: &r.Login, Name: &r.Name, Contact: &r.Contact, Status: &r.Status, Notes: &r.Notes, Version: version}
			if r.Password != "" {
				u.Password = &r.Password
			}
			saved, err = s.w.sess.API().UpdateReseller(ctx, id, u)
		}
		return func() { s.saved(saved, "Saved "+saved.Login+".", err) }
	})
}

func (s *resellersScreen) saved(r api.Reseller, ok string, err error) {
	if isStale(err) {
		err = fmt.Errorf("CONFLICT: %s changed since you opened it; select it again to reload, then redo your change", s.editing.Login)
	}
	if err == nil {
		s.edit(r)
		s.load()
	}
	showOutcome(s.outcome, ok, err)
}

func (s *resellersScreen) onCredit() {
	if s.editing.ID == 0 {
		showOutcome(s.outcome, "", fmt.Errorf("select a reseller and enter the change, e.g. 100 or -20.50"))
		return
	}
	delta, err := api.ParseCredits("delta", s.delta.Text, true)
	if err != nil {
		showOutcome(s.outcome, "", err)
		return
	}
	id, ch := s.editing.ID, api.CreditChange{DeltaMinor: delta, Reason: strings.TrimSpace(s.reason.Text)}
	s.w.async(func() func() {
		ctx, cancel := callCtx()
		defer cancel()
		r, err := s.w.sess.API().ChangeResellerCredits(ctx, id, ch)
		return func() {
			if err == nil {
				s.delta.SetText("")
				s.reason.SetText("")
			}
			s.saved(r, "Credits now "+api.FormatCredits(r.CreditsMinor)+".", err)
		}
	})
}

// onEvent reloads when resellers change elsewhere.
func (s *resellersScreen) onEvent(e api.Event) {
	if changed(e, api.EntityReseller) {
		s.load()
	}
}

func (s *resellersScreen) resync() { s.load() }
