package portal

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"canale/server/internal/playlist"
	"canale/server/internal/subscriberview"
	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// Favourites keeps a subscriber's favourite and recently watched channels
// (*store.Store). The store refuses channels outside the subscriber's
// packages with CodeNotFound.
type Favourites interface {
	FavouriteChannels(ctx context.Context, subscriberID int64) ([]int64, error)
	SetFavouriteChannel(ctx context.Context, subscriberID, channelID int64, on bool) error
	RecordWatched(ctx context.Context, subscriberID, channelID int64) error
	RecentChannels(ctx context.Context, subscriberID int64) ([]int64, error)
}

// recentShown is how many recently watched channels the grid's row shows.
const recentShown = 10

// gridPageSize bounds the channels of one grid page: a card is about a
// kilobyte, so 1,500 channels on one page would be 1.5 MB of HTML.
const gridPageSize = 120

// channelCard is one channel of the grid: its logo or, without one, the
// initial badge; what is on now with how far it has got, and what is next.
type channelCard struct {
	ID                  int64
	Name, Title, Logo   string
	Initial             string
	Number              int
	Now, Next           string // "15:00 Title"
	Progress            int    // percent of Now elapsed
	HasNow, Favourite   bool
	NowTitle, NextTitle string
}

// channelGroup is a section of the grid: the favourites first, then each
// category; Key is its heading's id.
type channelGroup struct {
	Key      string
	Name     string
	Channels []channelCard
}

type categoryLink struct {
	ID      int64
	Name    string
	Current bool
}

type channelsData struct {
	Query              string
	Category           int64
	Categories         []categoryLink
	Recent             []channelCard  // only on the unfiltered grid
	Groups             []channelGroup // the favourites among the channels shown first
	Back               string         // this page's path and query, where the star forms return
	Page, Pages        int
	PrevPage, NextPage string // "" when there is none
}

func (p *Portal) handleChannels(c *gin.Context) {
	cur, l, ok := p.watchable(c)
	if !ok {
		return
	}
	pg := p.newPage(c)
	pg.Nav = "channels"
	pg.Title = pg.T("Channels")
	q := strings.TrimSpace(c.Query("q"))
	cat, _ := strconv.ParseInt(c.Query("cat"), 10, 64)
	var shown []subscriberview.Channel
	for _, ch := range l.Channels {
		if (cat == 0 || ch.CategoryID == cat) && matches(ch, q) {
			shown = append(shown, ch)
		}
	}
	favs, recent := p.picks(c, cur.sub.ID)
	d := channelsData{Query: q, Category: cat, Back: c.Request.URL.RequestURI(), Categories: categoryLinks(l, cat)}
	d.Pages = max(1, (len(shown)+gridPageSize-1)/gridPageSize)
	d.Page, _ = strconv.Atoi(c.Query("page"))
	d.Page = min(max(d.Page, 1), d.Pages)
	d.PrevPage, d.NextPage = gridPageLink(q, cat, d.Page-1, d.Pages), gridPageLink(q, cat, d.Page+1, d.Pages)
	onPage := shown[(d.Page-1)*gridPageSize : min(d.Page*gridPageSize, len(shown))]
	// Favourites (among the channels shown) and recently watched (on the
	// unfiltered grid) head the first page.
	var favChans, recentChans []subscriberview.Channel
	if d.Page == 1 {
		for _, id := range favs {
			if ch, ok := channelIn(shown, id); ok {
				favChans = append(favChans, ch)
			}
		}
		for _, id := range recent {
			if ch, ok := l.Channel(id); ok && q == "" && cat == 0 && len(recentChans) < recentShown {
				recentChans = append(recentChans, ch)
			}
		}
	}
	var ids []string
	for _, chs := range [][]subscriberview.Channel{onPage, favChans, recentChans} {
		for _, ch := range chs {
			ids = append(ids, tvgID(ch))
		}
	}
	now := p.deps.Now()
	guide, err := subscriberview.NowNext(c, p.deps.Guide, ids, now)
	if err != nil {
		p.deps.Logger.WarnContext(c, "read now and next", "error", err)
	}
	links := subscriberview.LinksFor(c.Request, p.deps.ExternalURL, p.deps.StreamBase)
	card := func(ch subscriberview.Channel) channelCard {
		cc := channelCard{ID: ch.ID, Name: ch.Name, Title: title(ch), Number: ch.Number, Logo: links.Logo(ch),
			Initial: initial(title(ch)), Favourite: slices.Contains(favs, ch.ID)}
		cc.fillGuide(guide[tvgID(ch)], now)
		return cc
	}

	groups := map[int64]*channelGroup{}
	var order []int64
	for _, ch := range onPage {
		g, ok := groups[ch.CategoryID]
		if !ok {
			name := l.CategoryName(ch.CategoryID)
			if name == "" {
				name = pg.T("Other")
			}
			g = &channelGroup{Key: "cat-" + strconv.FormatInt(ch.CategoryID, 10), Name: name}
			groups[ch.CategoryID] = g
			order = append(order, ch.CategoryID)
		}
		g.Channels = append(g.Channels, card(ch))
	}
	favGroup := channelGroup{Key: "favs", Name: pg.T("Favourites")}
	for _, ch := range favChans {
		favGroup.Channels = append(favGroup.Channels, card(ch))
	}
	if len(favGroup.Channels) > 0 {
		d.Groups = append(d.Groups, favGroup)
	}
	for _, ch := range recentChans {
		d.Recent = append(d.Recent, card(ch))
	}
	for _, id := range order {
		d.Groups = append(d.Groups, *groups[id])
	}
	pg.Data = d
	p.render(c, http.StatusOK, "channels", pg)
}

// gridPageLink is the grid's page n with the same search and category, ""
// when there is no such page.
func gridPageLink(q string, cat int64, n, pages int) string {
	if n < 1 || n > pages {
		return ""
	}
	v := url.Values{}
	if q != "" {
		v.Set("q", q)
	}
	if cat != 0 {
		v.Set("cat", strconv.FormatInt(cat, 10))
	}
	if n > 1 {
		v.Set("page", strconv.Itoa(n))
	}
	if len(v) == 0 {
		return "/channels"
	}
	return "/channels?" + v.Encode()
}

// categoryLinks are the filter links of the live categories, cat current.
func categoryLinks(l subscriberview.Lineup, cat int64) []categoryLink {
	out := make([]categoryLink, 0, len(l.LiveCategories))
	for _, lc := range l.LiveCategories {
		out = append(out, categoryLink{ID: lc.ID, Name: lc.Name, Current: lc.ID == cat})
	}
	return out
}

// matches reports whether ch's title or stream name holds q, ignoring case.
func matches(ch subscriberview.Channel, q string) bool {
	return q == "" || strings.Contains(strings.ToLower(ch.Title+" "+ch.Name), strings.ToLower(q))
}

func channelIn(chs []subscriberview.Channel, id int64) (subscriberview.Channel, bool) {
	for _, ch := range chs {
		if ch.ID == id {
			return ch, true
		}
	}
	return subscriberview.Channel{}, false
}

// initial is the badge shown instead of a missing logo: the title's first
// letter or digit, upper-cased.
func initial(s string) string {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return string(unicode.ToUpper(r))
		}
	}
	if r, _ := utf8.DecodeRuneInString(s); r != utf8.RuneError {
		return string(r)
	}
	return "?"
}

// fillGuide sets now and next from the first two programmes NowNext found;
// a first programme that has not begun yet is next, not now.
func (cc *channelCard) fillGuide(ps []playlist.Programme, now time.Time) {
	f := func(p playlist.Programme) string { return p.Start.UTC().Format("15:04") + " " + p.Title }
	if len(ps) > 0 && !ps[0].Start.After(now) {
		cc.HasNow, cc.Now, cc.NowTitle = true, f(ps[0]), ps[0].Title
		if d := ps[0].Stop.Sub(ps[0].Start); d > 0 {
			cc.Progress = int(min(100, max(0, 100*now.Sub(ps[0].Start)/d)))
		}
		ps = ps[1:]
	}
	if len(ps) > 0 {
		cc.Next, cc.NextTitle = f(ps[0]), ps[0].Title
	}
}

// picks reads the subscriber's favourites and recently watched; the grid
// still shows without them when they cannot be read.
func (p *Portal) picks(c *gin.Context, subscriberID int64) (favs, recent []int64) {
	if p.deps.Favourites == nil {
		return nil, nil
	}
	favs, err := p.deps.Favourites.FavouriteChannels(c, subscriberID)
	if err != nil {
		p.deps.Logger.ErrorContext(c, "list favourite channels", "subscriber", subscriberID, "error", err)
	}
	recent, err = p.deps.Favourites.RecentChannels(c, subscriberID)
	if err != nil {
		p.deps.Logger.ErrorContext(c, "list recent channels", "subscriber", subscriberID, "error", err)
	}
	return favs, recent
}

// handleFavourite stars or unstars a channel from a plain form, so it works
// without JavaScript, and returns to the page the form was on.
func (p *Portal) handleFavourite(c *gin.Context) {
	cur := sessionOf(c)
	id, err := strconv.ParseInt(c.PostForm("channel"), 10, 64)
	if err != nil || p.deps.Favourites == nil {
		p.channelNotFound(c)
		return
	}
	err = p.deps.Favourites.SetFavouriteChannel(c, cur.sub.ID, id, c.PostForm("on") == "1")
	switch {
	case api.ErrorCode(err) == api.CodeNotFound:
		p.channelNotFound(c)
		return
	case err != nil:
		p.unavailable(c, "set favourite channel", err)
		return
	}
	c.Redirect(http.StatusSeeOther, localPath(c.PostForm("back"), "/channels"))
}

// handleRecent records that a channel played. The player posts it once the
// video has actually advanced, so a play that failed is not "watched".
func (p *Portal) handleRecent(c *gin.Context) {
	cur := sessionOf(c)
	id, err := strconv.ParseInt(c.PostForm("channel"), 10, 64)
	if err != nil || p.deps.Favourites == nil {
		c.Status(http.StatusNotFound)
		return
	}
	err = p.deps.Favourites.RecordWatched(c, cur.sub.ID, id)
	switch {
	case api.ErrorCode(err) == api.CodeNotFound:
		c.Status(http.StatusNotFound)
	case err != nil:
		p.deps.Logger.ErrorContext(c, "record watched channel", "subscriber", cur.sub.ID, "channel", id, "error", err)
		c.Status(http.StatusServiceUnavailable)
	default:
		c.Status(http.StatusNoContent)
	}
}

// localPath returns back when it is a path on this site, else def, so a
// form cannot send the subscriber elsewhere.
func localPath(back, def string) string {
	u, err := url.Parse(back)
	if err != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(back, "/") || strings.HasPrefix(back, "//") ||
		strings.Contains(back, "\\") {
		return def
	}
	return back
}

// channelNotFound is the page of a channel the subscriber cannot watch,
// with the way back to the channel list.
func (p *Portal) channelNotFound(c *gin.Context) {
	pg := p.newPage(c)
	pg.Nav = "channels"
	pg.Title = pg.T("Channel not found")
	pg.Data = problemText{Text: pg.T("This channel is not in your packages."),
		Hint: pg.T("Pick one from the channel list."), Back: "/channels", BackText: pg.T("Go to the channel list")}
	p.render(c, http.StatusNotFound, "problem", pg)
}
