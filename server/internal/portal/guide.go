package portal

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"canale/server/internal/playlist"
	"canale/server/internal/subscriberview"

	"github.com/gin-gonic/gin"
)

// The guide lays out one UTC day per page as a grid of five-minute slots,
// and shows guidePageSize channels per page, so a line-up of 1,500
// channels is sixty small pages rather than one of many megabytes.
const (
	guideSlot      = 5 * time.Minute
	guideSlots     = int(24 * time.Hour / guideSlot)
	guidePageSize  = 25
	guideDaysBack  = 14 // the deepest archive a guide page reaches
	guideDaysAhead = 7
)

// guideBlock is one programme on a channel's timeline. Class places it
// (cN: starts in slot N, wN: spans N slots; see handleGuideCSS). Href plays
// it: the archive window for a past programme within the DVR depth, the
// live channel for the one on now, nothing for the others.
type guideBlock struct {
	Class, Title, Href string
	Time, Range        string // "15:00" and "15:00–16:00" in UTC; guide.js shows them in local time
	StartISO, StopISO  string // RFC 3339, for guide.js
	Start              int64
	Catchup, Live      bool
}

type guideRow struct {
	ID                         int64
	Name, Title, Logo, Initial string
	Number                     int
	Blocks                     []guideBlock
}

// guideHour is an hour column; ISO is its start, which guide.js relabels
// in the browser's time zone.
type guideHour struct{ Class, Label, ISO string }

type guideData struct {
	DayLabel, PrevDay, NextDay, Today string // "" links are not shown
	Hours                             []guideHour
	NowClass                          string // the now marker's place; "" on other days
	Now                               moment // the now marker's label
	Rows                              []guideRow
	Category                          int64
	Categories                        []categoryLink
	Page, Pages                       int
	PrevPage, NextPage                string
}

func (p *Portal) handleGuide(c *gin.Context) {
	_, l, ok := p.watchable(c)
	if !ok {
		return
	}
	pg := p.newPage(c)
	pg.Nav = "guide"
	pg.Title = pg.T("TV guide")
	now := p.deps.Now()
	today := now.UTC().Truncate(24 * time.Hour)
	day := today
	if d, err := time.Parse(time.DateOnly, c.Query("day")); err == nil &&
		!d.Before(today.AddDate(0, 0, -guideDaysBack)) && !d.After(today.AddDate(0, 0, guideDaysAhead)) {
		day = d
	}
	cat, _ := strconv.ParseInt(c.Query("cat"), 10, 64)
	var chans []subscriberview.Channel
	for _, ch := range l.Channels {
		if cat == 0 || ch.CategoryID == cat {
			chans = append(chans, ch)
		}
	}
	pages := max(1, (len(chans)+guidePageSize-1)/guidePageSize)
	n, _ := strconv.Atoi(c.Query("page"))
	n = min(max(n, 1), pages)
	chans = chans[(n-1)*guidePageSize : min(n*guidePageSize, len(chans))]

	link := func(d time.Time, page int) string {
		v := url.Values{"day": {d.Format(time.DateOnly)}}
		if cat != 0 {
			v.Set("cat", strconv.FormatInt(cat, 10))
		}
		if page > 1 {
			v.Set("page", strconv.Itoa(page))
		}
		return "/guide?" + v.Encode()
	}
	// Day and month names go through T too, and the format's indexes let a
	// language reorder them. The year is text: T groups numbers by the
	// language's rules, which made 2026 "2,026".
	d := guideData{DayLabel: pg.T("%[1]s %[2]d %[3]s %[4]s", weekdayName(pg.T, day.Weekday()), day.Day(),
		monthName(pg.T, day.Month()), strconv.Itoa(day.Year())), Category: cat, Page: n, Pages: pages}
	if day.After(today.AddDate(0, 0, -guideDaysBack)) {
		d.PrevDay = link(day.AddDate(0, 0, -1), n)
	}
	if day.Before(today.AddDate(0, 0, guideDaysAhead)) {
		d.NextDay = link(day.AddDate(0, 0, 1), n)
	}
	if !day.Equal(today) {
		d.Today = link(today, n)
	}
	if n > 1 {
		d.PrevPage = link(day, n-1)
	}
	if n < pages {
		d.NextPage = link(day, n+1)
	}
	d.Categories = categoryLinks(l, cat)
	for h := range 24 {
		d.Hours = append(d.Hours, guideHour{Class: slotClass(h*12, 12), Label: fmt.Sprintf("%02d:00", h),
			ISO: day.Add(time.Duration(h) * time.Hour).Format(time.RFC3339)})
	}
	end := day.Add(24 * time.Hour)
	if !now.Before(day) && now.Before(end) {
		d.NowClass = slotClass(int(now.Sub(day)/guideSlot), 1)
		d.Now = moment{ISO: now.UTC().Format(time.RFC3339), Text: now.UTC().Format("15:04")}
	}
	d.Rows = p.guideRows(c, l, chans, day, end, now)
	pg.Data = d
	p.render(c, http.StatusOK, "guide", pg)
}

// guideRows reads the day's programmes of the page's channels in one
// guide query and places them.
func (p *Portal) guideRows(c *gin.Context, l subscriberview.Lineup, chans []subscriberview.Channel, day, end, now time.Time) []guideRow {
	links := subscriberview.LinksFor(c.Request, p.deps.ExternalURL, p.deps.StreamBase)
	rows := make([]guideRow, len(chans))
	index := map[string][]int{}
	ids := make([]string, 0, len(chans))
	for i, ch := range chans {
		rows[i] = guideRow{ID: ch.ID, Name: ch.Name, Title: title(ch), Logo: links.Logo(ch), Initial: initial(title(ch)),
			Number: ch.Number}
		id := tvgID(ch)
		if _, seen := index[id]; !seen {
			ids = append(ids, id)
		}
		index[id] = append(index[id], i)
	}
	for prog, err := range p.deps.Guide.Programmes(c, ids, day, end) {
		if err != nil {
			p.deps.Logger.WarnContext(c, "read guide", "error", err)
			break
		}
		for _, i := range index[prog.Channel] {
			rows[i].Blocks = append(rows[i].Blocks, guideBlockOf(chans[i], prog, day, end, now))
		}
	}
	return rows
}

func guideBlockOf(ch subscriberview.Channel, prog playlist.Programme, day, end, now time.Time) guideBlock {
	from, to := prog.Start, prog.Stop
	if from.Before(day) {
		from = day
	}
	if to.After(end) {
		to = end
	}
	first := int(from.Sub(day) / guideSlot)
	last := int((to.Sub(day) + guideSlot - 1) / guideSlot)
	first = min(first, guideSlots-1)
	b := guideBlock{Class: slotClass(first, max(1, last-first)), Title: prog.Title, Start: prog.Start.Unix(),
		Time: prog.Start.UTC().Format("15:04"), Range: prog.Start.UTC().Format("15:04") + "–" + prog.Stop.UTC().Format("15:04"),
		StartISO: prog.Start.UTC().Format(time.RFC3339), StopISO: prog.Stop.UTC().Format(time.RFC3339)}
	switch {
	case ch.InArchive(prog.Start, prog.Stop, now):
		b.Catchup = true
		b.Href = fmt.Sprintf("/player/%d?start=%d&dur=%d", ch.ID, prog.Start.Unix(), int(prog.Stop.Sub(prog.Start).Seconds()))
	case !now.Before(prog.Start) && now.Before(prog.Stop):
		b.Live = true
		b.Href = "/player/" + strconv.FormatInt(ch.ID, 10)
	}
	return b
}

// slotClass places a block that starts in slot first (0-based) and spans
// span slots, clipped to the day.
func slotClass(first, span int) string {
	span = min(span, guideSlots-first)
	return "c" + strconv.Itoa(first+1) + " w" + strconv.Itoa(span)
}

// guideCSS places the guide's blocks by class: the pages' Content Security
// Policy forbids inline styles, and a class per slot keeps the guide laid
// out without JavaScript.
var guideCSS = func() string {
	var b strings.Builder
	b.WriteString("/* Generated by portal/guide.go: cN starts a block in slot N, wN spans N five-minute slots. */\n")
	for i := 1; i <= guideSlots; i++ {
		fmt.Fprintf(&b, ".c%d{grid-column-start:%d}.w%d{grid-column-end:span %d}\n", i, i, i, i)
	}
	return b.String()
}()

func handleGuideCSS(c *gin.Context) {
	c.Header("Cache-Control", "public, max-age=86400")
	c.Data(http.StatusOK, "text/css; charset=utf-8", []byte(guideCSS))
}

// weekdayName and monthName pass each name to T as a literal, so the
// catalog test sees every one of them (a month is in the form a date
// takes: Russian's genitive "декабря").
func weekdayName(t func(string, ...any) string, d time.Weekday) string {
	switch d {
	case time.Sunday:
		return t("Sunday")
	case time.Monday:
		return t("Monday")
	case time.Tuesday:
		return t("Tuesday")
	case time.Wednesday:
		return t("Wednesday")
	case time.Thursday:
		return t("Thursday")
	case time.Friday:
		return t("Friday")
	case time.Saturday:
		return t("Saturday")
	}
	return d.String()
}

func monthName(t func(string, ...any) string, m time.Month) string {
	switch m {
	case time.January:
		return t("January")
	case time.February:
		return t("February")
	case time.March:
		return t("March")
	case time.April:
		return t("April")
	case time.May:
		return t("May")
	case time.June:
		return t("June")
	case time.July:
		return t("July")
	case time.August:
		return t("August")
	case time.September:
		return t("September")
	case time.October:
		return t("October")
	case time.November:
		return t("November")
	case time.December:
		return t("December")
	}
	return m.String()
}
