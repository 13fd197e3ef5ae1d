package portal

import (
	"net/http"
	"strconv"
	"time"

	"canale/server/internal/playlist"
	"canale/server/internal/subscriberview"

	"github.com/gin-gonic/gin"
)

// playerData fills the player page for a live channel, a catch-up
// programme, a movie or an episode; Label names the video for screen
// readers, Back where to return. Record is the channel id the player
// reports as watched once the video plays (0: none, e.g. for movies).
type playerData struct {
	Title, Src, Now, Next string
	Label, Back, BackText string
	When                  string // a catch-up programme's air time
	Record                int64
	// Since is when the page was made (Unix ms): a player that gives up
	// ends only the sessions opened after it (handlePlayerGaveUp).
	Since int64
}

// maxCatchup bounds a catch-up window, as XC's timeshift bounds its
// duration: one programme is never longer than a day.
const maxCatchup = 24 * time.Hour

// handlePlayer plays a channel live or, with ?start=UNIX&dur=SECONDS from
// the guide, a past programme from its archive, if it lies within the
// channel's DVR depth.
func (p *Portal) handlePlayer(c *gin.Context) {
	cur, l, ok := p.watchable(c)
	if !ok {
		return
	}
	id, _ := strconv.ParseInt(c.Param("id"), 10, 64)
	ch, found := l.Channel(id)
	if !found {
		p.channelNotFound(c)
		return
	}
	pg := p.newPage(c)
	pg.Nav = "channels"
	links := subscriberview.LinksFor(c.Request, p.deps.ExternalURL, p.deps.StreamBase)
	now := p.deps.Now()
	if c.Query("start") != "" {
		p.playCatchup(c, pg, links, ch, cur.sub.Token, now)
		return
	}
	src, _ := links.Live(ch, cur.sub.Token, playlist.FormatHLS)
	guide, _ := subscriberview.NowNext(c, p.deps.Guide, []string{tvgID(ch)}, now)
	d := playerData{Title: title(ch), Src: src, Label: pg.T("Live video of %s", title(ch)), Back: "/channels",
		BackText: pg.T("Back to channels"), Record: ch.ID, Since: now.UnixMilli()}
	var cc channelCard
	cc.fillGuide(guide[tvgID(ch)], now)
	d.Now, d.Next = cc.Now, cc.Next
	pg.Title, pg.Data = d.Title, d
	p.render(c, http.StatusOK, "player", pg)
}

// playCatchup plays the archive window of one past programme. The window
// is checked by the same rule as XC's has_archive, and the URL built the
// same way as XC's timeshift redirect.
func (p *Portal) playCatchup(c *gin.Context, pg page, links subscriberview.Links, ch subscriberview.Channel,
	token string, now time.Time) {
	startUnix, err1 := strconv.ParseInt(c.Query("start"), 10, 64)
	secs, err2 := strconv.Atoi(c.Query("dur"))
	start := time.Unix(startUnix, 0)
	stop := start.Add(time.Duration(secs) * time.Second)
	if err1 != nil || err2 != nil || secs <= 0 || time.Duration(secs)*time.Second > maxCatchup ||
		!ch.InArchive(start, stop, now) {
		pg.Title = pg.T("Not in the archive")
		pg.Data = problemText{Text: pg.T("This programme cannot be played back: it is not over yet or older than the archive of %s.", title(ch)),
			Hint: pg.T("Pick another programme in the TV guide."), Back: "/guide", BackText: pg.T("Go to the TV guide")}
		p.render(c, http.StatusNotFound, "problem", pg)
		return
	}
	name := title(ch)
	for prog, err := range p.deps.Guide.Programmes(c, []string{tvgID(ch)}, start, start.Add(time.Second)) {
		if err == nil && prog.Start.Equal(start) {
			name = prog.Title + " · " + title(ch)
		}
		break
	}
	d := playerData{Title: name, Src: links.Archive(ch, start, secs, "m3u8", token),
		Label: pg.T("Recording of %s", name), Back: "/guide?day=" + start.UTC().Format(time.DateOnly),
		BackText: pg.T("Back to the TV guide"),
		When:     pg.T("Shown %s–%s UTC", start.UTC().Format("2 Jan 15:04"), stop.UTC().Format("15:04"))}
	pg.Title, pg.Data = d.Title, d
	p.render(c, http.StatusOK, "player", pg)
}
