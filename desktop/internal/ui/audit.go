package ui

import (
	"canale/shared/api"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// auditPageSize is how many audit records a page shows.
const auditPageSize = 50

var auditColumns = []struct {
	title string
	width float32
	value func(api.AuditEntry) string
}{
	{"When", 150, func(e api.AuditEntry) string { return e.At.Local().Format("2006-01-02 15:04:05") }},
	{"Who", 120, func(e api.AuditEntry) string { return e.ActorLogin }},
	{"Action", 90, func(e api.AuditEntry) string { return e.Action }},
	{"Entity", 100, func(e api.AuditEntry) string { return string(e.Entity) }},
	{"ID", 70, func(e api.AuditEntry) string { return e.EntityID }},
	{"Address", 120, func(e api.AuditEntry) string { return e.ClientIP }},
}

// auditScreen pages through the audit log, newest first.
type auditScreen struct {
	w       *Window
	entries []api.AuditEntry
	cursors []string // the cursor of each page shown so far; the last is the current page
	next    string   // the cursor of the page after the current one; "" on the last
	table   *fitTable
	newer   *widget.Button
	older   *widget.Button
	info    *widget.Label
}

func newAuditScreen(w *Window) *auditScreen {
	s := &auditScreen{w: w, cursors: []string{""}, info: &widget.Label{}}
	s.table = newFitTable(&fitTable{Table: widget.Table{Length: s.size, CreateCell: func() fyne.CanvasObject {
		return &widget.Label{Truncation: fyne.TextTruncateEllipsis}
	}, UpdateCell: s.updateCell, ShowHeaderRow: true, CreateHeader: newHeaderLabel, UpdateHeader: s.updateHeader}, MinWidths: columnMins(len(auditColumns), func(i int) float32 { return auditColumns[i].width }),
		Header: func(col int) string { return auditColumns[col].title },
		Text:   func(row, col int) string { return auditColumns[col].value(s.entries[row]) }})
	s.newer = &widget.Button{Text: "Newer", Icon: theme.NavigateBackIcon(), OnTapped: s.onNewer}
	s.older = &widget.Button{Text: "Older", Icon: theme.NavigateNextIcon(), IconPlacement: widget.ButtonIconTrailingText, OnTapped: s.onOlder}
	s.load()
	return s
}

func (s *auditScreen) buildUI() fyne.CanvasObject {
	refresh := &widget.Button{Text: "Refresh", Icon: theme.ViewRefreshIcon(), OnTapped: s.onRefresh}
	bar := container.NewHBox(refresh, s.newer, s.older, s.info)
	return container.NewBorder(bar, nil, nil, nil, s.table)
}

func (s *auditScreen) size() (int, int) { return len(s.entries), len(auditColumns) }

func (s *auditScreen) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	o.(*widget.Label).SetText(auditColumns[id.Col].value(s.entries[id.Row]))
}

func (s *auditScreen) updateHeader(id widget.TableCellID, o fyne.CanvasObject) {
	if id.Col >= 0 {
		o.(*widget.Label).SetText(auditColumns[id.Col].title)
	}
}

// load fetches the current page.
func (s *auditScreen) load() {
	cur := s.cursors[len(s.cursors)-1]
	s.newer.Disable()
	s.older.Disable()
	s.w.async(func() func() {
		ctx, cancel := callCtx()
		defer cancel()
		c := s.w.sess.API()
		if c == nil {
			return func() {}
		}
		page, err := c.Audit(ctx, api.AuditFilter{}, api.ListParams{Cursor: cur, Limit: auditPageSize})
		return func() { s.show(page, err) }
	})
}

func (s *auditScreen) show(page api.Page[api.AuditEntry], err error) {
	if err != nil {
		s.info.SetText(message(err))
		return
	}
	s.entries, s.next = page.Items, page.Next
	s.info.SetText("")
	if len(s.cursors) > 1 {
		s.newer.Enable()
	}
	if s.next != "" {
		s.older.Enable()
	}
	s.table.Refresh()
}

func (s *auditScreen) onOlder() {
	if s.next == "" {
		return
	}
	s.cursors = append(s.cursors, s.next)
	s.load()
}

func (s *auditScreen) onNewer() {
	if len(s.cursors) > 1 {
		s.cursors = s.cursors[:len(s.cursors)-1]
	}
	s.load()
}

func (s *auditScreen) onRefresh() {
	s.cursors = s.cursors[:1]
	s.load()
}

// onEvent reloads the first page when something changed, so the newest
// records appear without a click; deeper pages stay put while being read.
func (s *auditScreen) onEvent(e api.Event) {
	if e.Type == api.EventChange && len(s.cursors) == 1 {
		s.load()
	}
}

func (s *auditScreen) resync() { s.load() }
