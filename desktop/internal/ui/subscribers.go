package ui

import (
	"fmt"
	"strconv"
	"strings"

	"canale/shared/api"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// subscriberPageSize is how many subscribers one page loads: the list pages
// by the server's keyset cursor, so a million subscribers cost no more than
// a hundred.
const subscriberPageSize = 100

// allOption is the filter choice that does not filter.
const allOption = "All"

// subscribersScreen searches subscribers on the server, page by page, and
// edits one in a subscriberForm.
type subscribersScreen struct {
	w        *Window
	subs     []api.Subscriber
	next     string
	query    subscriberQuery // of the list shown, for "More"
	packages []api.Package   // for the package filter and names
	sellers  []api.Reseller

	search   *widget.Entry
	status   *widget.Select
	pkg      *widget.Select
	reseller *widget.Select
	sort     *widget.Select
	list     *widget.List
	more     *widget.Button
	info     *widget.Label
	form     *subscriberForm
}

func newSubscribersScreen(w *Window) *subscribersScreen {
	s := &subscribersScreen{w: w, info: &widget.Label{}}
	s.search = &widget.Entry{PlaceHolder: "search login, name or contact", OnSubmitted: func(string) { s.onSearch() }}
	s.status = &widget.Select{Options: []string{allOption, api.StatusActive, api.StatusDisabled, api.StatusBanned}, Selected: allOption}
	s.pkg = &widget.Select{Options: []string{allOption}, Selected: allOption}
	s.reseller = &widget.Select{Options: []string{allOption}, Selected: allOption}
	s.sort = &widget.Select{Options: api.SubscriberSorts, Selected: "id"}
	for _, sel := range []*widget.Select{s.status, s.pkg, s.reseller, s.sort} {
		sel.OnChanged = func(string) { s.onSearch() }
	}
	s.list = &widget.List{Length: func() int { return len(s.subs) },
		CreateItem: func() fyne.CanvasObject { return &widget.Label{Truncation: fyne.TextTruncateEllipsis} },
		UpdateItem: func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(subscriberLine(s.subs[i])) },
		OnSelected: func(i widget.ListItemID) { s.form.show(s.subs[i]) }}
	s.more = &widget.Button{Text: "More", Icon: theme.MoreVerticalIcon(), OnTapped: s.onMore}
	s.more.Hide()
	s.form = newSubscriberForm(w, s)
	s.loadLookups()
	s.load(s.currentQuery())
	return s
}

func subscriberLine(sub api.Subscriber) string {
	line := sub.Login
	if sub.Name != "" {
		line += " — " + sub.Name
	}
	return line + "  [" + sub.Status + ", until " + formatTime(sub.ExpiresAt) + "]"
}

func (s *subscribersScreen) buildUI() fyne.CanvasObject {
	filters := container.NewVBox(
		container.NewBorder(nil, nil, nil, toolbar(&widget.Button{Icon: theme.SearchIcon(), OnTapped: s.onSearch},
			s.w.editButton("New", theme.ContentAddIcon(), func() { s.form.show(api.Subscriber{Status: api.StatusActive}) })), s.search),
		container.NewGridWithColumns(2, withLabel("Status", s.status), withLabel("Package", s.pkg),
			withLabel("Reseller", s.reseller), withLabel("Sort by", s.sort)))
	left := container.NewBorder(filters, container.NewBorder(nil, nil, nil, s.more, s.info), nil, nil, s.list)
	split := container.NewHSplit(left, s.form.buildUI())
	split.Offset = 0.4
	return split
}

// loadLookups fetches the packages and resellers the filters and names
// need.
func (s *subscribersScreen) loadLookups() {
	s.w.async(func() func() {
		ctx, cancel := callCtx()
		defer cancel()
		c := s.w.sess.API()
		if c == nil {
			return func() {}
		}
		pkgs, err1 := c.Packages(ctx, api.PackageFilter{}, api.ListParams{Limit: api.MaxLimit})
		sellers, err2 := c.Resellers(ctx, api.ResellerFilter{}, api.ListParams{Limit: api.MaxLimit})
		return func() {
			if err1 == nil {
				s.packages = pkgs.Items
				s.pkg.Options = append([]string{allOption}, names(s.packages, func(p api.Package) string { return p.Name })...)
			}
			if err2 == nil {
				s.sellers = sellers.Items
				s.reseller.Options = append([]string{allOption}, names(s.sellers, func(r api.Reseller) string { return r.Login })...)
			}
		}
	})
}

func names[T any](items []T, name func(T) string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = name(it)
	}
	return out
}

// packageName names a package id for people.
func (s *subscribersScreen) packageName(id int64) string {
	for _, p := range s.packages {
		if p.ID == id {
			return p.Name
		}
	}
	return "#" + strconv.FormatInt(id, 10)
}

// subscriberQuery is the list request of the screen: the store's filter
// plus paging, kept together so "More" repeats it with the next cursor.
type subscriberQuery struct {
	f api.SubscriberFilter
	p api.ListParams
}

// currentQuery reads the filters.
func (s *subscribersScreen) currentQuery() subscriberQuery {
	q := subscriberQuery{p: api.ListParams{Query: strings.TrimSpace(s.search.Text),
		Sort: s.sort.Selected, Limit: subscriberPageSize}}
	if s.status.Selected != allOption {
		q.f.Status = s.status.Selected
	}
	if i := s.pkg.SelectedIndex(); i > 0 && i <= len(s.packages) {
		q.f.PackageID = s.packages[i-1].ID
	}
	if i := s.reseller.SelectedIndex(); i > 0 && i <= len(s.sellers) {
		q.f.ResellerID = s.sellers[i-1].ID
	}
	return q
}

func (s *subscribersScreen) onSearch() { s.load(s.currentQuery()) }

func (s *subscribersScreen) onMore() {
	q := s.query
	q.p.Cursor = s.next
	s.load(q)
}

// load fetches one page for q; a query without a cursor starts a new list.
func (s *subscribersScreen) load(q subscriberQuery) {
	s.info.SetText("Loading…")
	s.w.async(func() func() {
		ctx, cancel := callCtx()
		defer cancel()
		c := s.w.sess.API()
		if c == nil {
			return func() {}
		}
		page, err := c.Subscribers(ctx, q.f, q.p)
		return func() { s.showPage(q, page, err) }
	})
}

func (s *subscribersScreen) showPage(q subscriberQuery, page api.Page[api.Subscriber], err error) {
	if err != nil {
		s.info.SetText(errorText(err))
		return
	}
	if q.p.Cursor == "" {
		s.subs = nil
		s.list.UnselectAll()
		s.list.ScrollToTop()
	}
	s.query, s.subs, s.next = q, append(s.subs, page.Items...), page.Next
	more := ""
	if s.next != "" {
		more = "+"
		s.more.Show()
	} else {
		s.more.Hide()
	}
	s.info.SetText(fmt.Sprintf("%d%s shown", len(s.subs), more))
	s.list.Refresh()
}

// replace puts a changed subscriber into the list shown.
func (s *subscribersScreen) replace(sub api.Subscriber) {
	for i := range s.subs {
		if s.subs[i].ID == sub.ID {
			s.subs[i] = sub
			s.list.RefreshItem(i)
			return
		}
	}
}

// onEvent keeps the open subscriber's sessions current.
func (s *subscribersScreen) onEvent(e api.Event) {
	if changed(e, api.EntityPlaySession) {
		s.form.loadSessions()
	}
}
