package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"canale/shared/api"
	"canale/shared/client"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// refusalColumns answer "why can't this customer watch".
var refusalColumns = []textColumn[api.PlayRefusal]{
	{"Time", 120, func(r api.PlayRefusal) string { return r.At.Local().Format("2006-01-02 15:04:05") }},
	{"Subscriber", 110, func(r api.PlayRefusal) string {
		if r.SubscriberID == nil {
			return "(unknown token)"
		}
		return orID(r.SubscriberLogin, *r.SubscriberID)
	}},
	{"Channel", 110, func(r api.PlayRefusal) string { return r.Name }},
	{"Reason", 220, func(r api.PlayRefusal) string { return r.ReasonTitle }},
	{"Code", 120, func(r api.PlayRefusal) string { return r.Reason }},
	{"Streamer", 110, func(r api.PlayRefusal) string { return orHost(r.StreamerName, r.StreamerHost) }},
	{"Address", 110, func(r api.PlayRefusal) string { return r.IP }},
	{"Player", 130, func(r api.PlayRefusal) string { return api.PlayerName(r.UserAgent) }},
}

// refusedPanel lists the plays refused in the last hour, filtered by
// subscriber login and reason.
type refusedPanel struct {
	w          *Window
	refusals   []api.PlayRefusal
	reasons    []string // every reason seen, for the filter
	subscriber *widget.Entry
	reason     *widget.Select
	table      *fitTable
	info       *widget.Label
}

func newRefusedPanel(w *Window) *refusedPanel {
	p := &refusedPanel{w: w, subscriber: &widget.Entry{PlaceHolder: "e.g. carol"}, info: statusLabel(),
		reason: &widget.Select{Options: []string{allOption}, Selected: allOption}}
	p.subscriber.OnSubmitted = func(string) { p.load() }
	p.reason.OnChanged = func(string) { p.load() }
	p.table = newTextTable(refusalColumns, func() []api.PlayRefusal { return p.refusals }, nil)
	p.load()
	return p
}

func (p *refusedPanel) buildUI() fyne.CanvasObject {
	bar := container.NewBorder(nil, nil, nil,
		&widget.Button{Text: "Refresh", Icon: theme.ViewRefreshIcon(), OnTapped: p.load},
		container.NewGridWithColumns(2, withLabel("Subscriber login", p.subscriber), withLabel("Reason", p.reason)))
	return container.NewBorder(bar, p.info, nil, nil, p.table)
}

func (p *refusedPanel) filter() api.PlayRefusalFilter {
	f := api.PlayRefusalFilter{SubscriberLogin: strings.TrimSpace(p.subscriber.Text)}
	if p.reason.Selected != allOption {
		f.Reason = p.reason.Selected
	}
	return f
}

// load reads the last hour's refusals that match the filters.
func (p *refusedPanel) load() {
	f := p.filter()
	p.w.fetch(func(ctx context.Context, c *client.Client) func() {
		page, err := c.PlayRefusals(ctx, f, api.ListParams{Limit: api.MaxLimit})
		return func() { p.show(page, err) }
	}, func() {})
}

func (p *refusedPanel) show(page api.Page[api.PlayRefusal], err error) {
	if err != nil {
		showOutcome(p.info, "", err)
		return
	}
	p.refusals = page.Items
	for _, r := range p.refusals {
		if !slices.Contains(p.reasons, r.Reason) {
			p.reasons = append(p.reasons, r.Reason)
		}
	}
	slices.Sort(p.reasons)
	p.reason.Options = append([]string{allOption}, p.reasons...)
	more := ""
	if page.Next != "" {
		more = "+"
	}
	p.info.Importance = widget.MediumImportance
	p.info.SetText(fmt.Sprintf("%d%s refused plays in the last hour", len(p.refusals), more))
	p.table.Refresh()
}
