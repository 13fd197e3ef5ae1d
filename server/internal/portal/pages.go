package portal

import (
	"net/http"
	"strconv"
	"strings"

	"canale/server/internal/playlist"
	"canale/server/internal/subscriberview"

	"github.com/gin-gonic/gin"
	"rsc.io/qr"
)

// watchable loads the line-up of a subscriber who may watch live channels,
// or renders the page that explains why they cannot, instead of an empty
// list.
func (p *Portal) watchable(c *gin.Context) (current, subscriberview.Lineup, bool) {
	cur, l, ok := p.entitled(c)
	if ok && len(l.Channels) == 0 {
		pg := p.newPage(c)
		p.problem(c, http.StatusOK, pg.T("No channels yet"),
			pg.T("Your account holds no package with channels."), pg.T("Ask your provider to add a package to your account."))
		return cur, l, false
	}
	return cur, l, ok
}

// entitled loads the line-up of a subscriber who may watch, or renders the
// page that explains why they cannot. Movies and series pages use it
// directly: a package may hold movies without channels.
func (p *Portal) entitled(c *gin.Context) (current, subscriberview.Lineup, bool) {
	cur := sessionOf(c)
	pg := p.newPage(c)
	switch cur.sub.Access(p.deps.Now()) {
	case subscriberview.AccessExpired:
		p.problem(c, http.StatusForbidden, pg.T("Subscription expired"),
			pg.T("Your subscription expired on %s.", cur.sub.ExpiresAt.UTC().Format(langOf(c).Date)),
			pg.T("Renew it with your provider; the payment details are on your account page."))
		return cur, subscriberview.Lineup{}, false
	case subscriberview.AccessDisabled, subscriberview.AccessBanned:
		p.problem(c, http.StatusForbidden, pg.T("Account disabled"),
			pg.T("Your account is disabled, so channels cannot be played."), pg.T("Please contact your provider."))
		return cur, subscriberview.Lineup{}, false
	}
	l, err := p.deps.Directory.Lineup(c, cur.sub)
	if err != nil {
		p.unavailable(c, "read lineup", err)
		return cur, l, false
	}
	return cur, l, true
}

type channelItem struct {
	ID              int64
	Name, Title     string
	Number          int
	Logo, Now, Next string
}

type channelGroup struct {
	ID       int64
	Name     string
	Channels []channelItem
}

type channelsData struct {
	Query  string
	Groups []channelGroup
}

func (p *Portal) handleChannels(c *gin.Context) {
	_, l, ok := p.watchable(c)
	if !ok {
		return
	}
	q := strings.TrimSpace(c.Query("q"))
	links := subscriberview.LinksFor(c.Request, p.deps.ExternalURL, p.deps.StreamBase)
	var shown []subscriberview.Channel
	for _, ch := range l.Channels {
		if q == "" || strings.Contains(strings.ToLower(ch.Title+" "+ch.Name), strings.ToLower(q)) {
			shown = append(shown, ch)
		}
	}
	ids := make([]string, len(shown))
	for i, ch := range shown {
		ids[i] = tvgID(ch)
	}
	guide, err := subscriberview.NowNext(c, p.deps.Guide, ids, p.deps.Now())
	if err != nil {
		p.deps.Logger.WarnContext(c, "read now and next", "error", err)
	}
	groups := map[int64]*channelGroup{}
	var order []int64
	for _, ch := range shown {
		g, ok := groups[ch.CategoryID]
		if !ok {
			name := l.CategoryName(ch.CategoryID)
			if name == "" {
				name = "Other"
			}
			g = &channelGroup{ID: ch.CategoryID, Name: name}
			groups[ch.CategoryID] = g
			order = append(order, ch.CategoryID)
		}
		item := channelItem{ID: ch.ID, Name: ch.Name, Title: title(ch), Number: ch.Number, Logo: links.Logo(ch)}
		item.Now, item.Next = nowNext(guide[tvgID(ch)])
		g.Channels = append(g.Channels, item)
	}
	data := channelsData{Query: q}
	for _, id := range order {
		data.Groups = append(data.Groups, *groups[id])
	}
	p.render(c, http.StatusOK, "channels", page{Title: "Channels", Nav: "channels", Data: data})
}

func title(ch subscriberview.Channel) string {
	if ch.Title != "" {
		return ch.Title
	}
	return ch.Name
}

func tvgID(ch subscriberview.Channel) string {
	return playlist.TVGID(playlist.Channel{ID: ch.ID, EPGID: ch.EPGChannelID})
}

// nowNext formats the first two programmes as "15:00 Title".
func nowNext(ps []playlist.Programme) (now, next string) {
	f := func(p playlist.Programme) string { return p.Start.UTC().Format("15:04") + " " + p.Title }
	if len(ps) > 0 {
		now = f(ps[0])
	}
	if len(ps) > 1 {
		next = f(ps[1])
	}
	return now, next
}

// playerData fills the player page for a live channel, a movie or an
// episode; Label names the video for screen readers, Back where to return.
type playerData struct {
	Title, Src, Now, Next string
	Label, Back, BackText string
}

func (p *Portal) handlePlayer(c *gin.Context) {
	cur, l, ok := p.watchable(c)
	if !ok {
		return
	}
	id, _ := strconv.ParseInt(c.Param("id"), 10, 64)
	ch, found := l.Channel(id)
	if !found {
		p.problem(c, http.StatusNotFound, "Channel not found",
			"This channel is not in your packages.", "Pick one from the channel list.")
		return
	}
	links := subscriberview.LinksFor(c.Request, p.deps.ExternalURL, p.deps.StreamBase)
	src, _ := links.Live(ch, cur.sub.Token, playlist.FormatHLS)
	guide, _ := subscriberview.NowNext(c, p.deps.Guide, []string{tvgID(ch)}, p.deps.Now())
	d := playerData{Title: title(ch), Src: src, Label: "Live video of " + title(ch), Back: "/channels",
		BackText: "Back to channels"}
	d.Now, d.Next = nowNext(guide[tvgID(ch)])
	p.render(c, http.StatusOK, "player", page{Title: d.Title, Nav: "channels", Data: d})
}

// handleQR draws the Kodi playlist link, so a phone or TV app can scan it.
// The link holds the playback token, so it is shown only when the
// playlists page is.
func (p *Portal) handleQR(c *gin.Context) {
	cur, _, ok := p.watchable(c)
	if !ok {
		return
	}
	code, err := qr.Encode(p.playlistLinks(c, cur.sub.Token).M3UKodi, qr.M)
	if err != nil {
		c.String(http.StatusInternalServerError, "qr: %v", err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "image/png", code.PNG())
}
