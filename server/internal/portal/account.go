package portal

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"canale/server/internal/subscriberview"
	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// moment is a time the browser shows in its own time zone and language
// (static/portal.js reads <time datetime> and rewrites the text); Text, in
// UTC, is what a page read without scripts shows.
type moment struct{ ISO, Text string }

func momentOf(t time.Time) moment {
	return moment{ISO: t.UTC().Format(time.RFC3339), Text: t.UTC().Format("2006-01-02 15:04 UTC")}
}

// playRow, sessionRow and deviceRow are the account page's table rows,
// with a readable player name instead of the raw user agent (kept for the
// title attribute).
type playRow struct {
	Name, IP, Player, UserAgent, Proto string
	Since                              moment
}

type sessionRow struct {
	IP, Browser, UserAgent string
	Since                  moment
}

type deviceRow struct {
	MAC, Model, IP string
	LastSeen       *moment
}

type accountData struct {
	Name, Status, Balance, MaxSessions, PaymentInfo string
	Expires                                         *moment // nil: never
	Packages                                        []subscriberview.Package
	Sessions                                        []sessionRow
	Plays                                           []playRow
	PlaysUnavailable                                bool
	Devices                                         []deviceRow
	// Tuners says the subscriber has HDHomeRun tuners, listed on the
	// Playlists page with their copy buttons.
	Tuners bool
}

func (p *Portal) handleAccount(c *gin.Context) {
	cur := sessionOf(c)
	pg := p.newPage(c)
	pkgs, err := p.deps.Directory.Packages(c, cur.sub)
	if err != nil {
		p.unavailable(c, "read packages", err)
		return
	}
	sessions, err := p.deps.Sessions.List(c, cur.sub.ID)
	if err != nil {
		p.unavailable(c, "list sessions", err)
		return
	}
	d := accountData{Name: cur.sub.Name, Status: accessText(pg.T, cur.sub.Access(p.deps.Now())),
		Balance: p.balance(cur.sub.Balance, pkgs), MaxSessions: pg.T("unlimited"), PaymentInfo: cur.sub.PaymentInfo,
		Packages: pkgs, Tuners: p.deps.Tuners != nil}
	for _, s := range sessions {
		d.Sessions = append(d.Sessions, sessionRow{IP: s.ClientIP, Browser: playerName(pg.T, s.UserAgent), UserAgent: s.UserAgent,
			Since: momentOf(s.CreatedAt)})
	}
	var plays []api.PlaySession
	plays, d.PlaysUnavailable = p.plays(c, cur.sub.ID)
	for _, s := range plays {
		d.Plays = append(d.Plays, playRow{Name: s.Name, IP: s.IP, Player: playerName(pg.T, s.UserAgent), UserAgent: s.UserAgent,
			Proto: s.Proto, Since: momentOf(s.OpenedAt)})
	}
	for _, dev := range p.devices(c, cur.sub.ID) {
		row := deviceRow{MAC: dev.MAC, Model: dev.Model, IP: dev.LastIP}
		if dev.LastSeenAt != nil {
			m := momentOf(*dev.LastSeenAt)
			row.LastSeen = &m
		}
		d.Devices = append(d.Devices, row)
	}
	if !cur.sub.ExpiresAt.IsZero() {
		m := momentOf(cur.sub.ExpiresAt)
		d.Expires = &m
	}
	if cur.sub.MaxSessions > 0 {
		d.MaxSessions = strconv.Itoa(cur.sub.MaxSessions)
	}
	pg.Title, pg.Nav, pg.Data = pg.T("Account"), "account", d
	p.render(c, http.StatusOK, "account", pg)
}

// accessText names a subscriber's access in the page's language.
func accessText(t func(string, ...any) string, a subscriberview.Access) string {
	switch a {
	case subscriberview.AccessExpired:
		return t("Expired")
	case subscriberview.AccessDisabled:
		return t("Disabled")
	case subscriberview.AccessBanned:
		return t("Banned")
	}
	return t("Active")
}

// balance shows the balance with its currency: the operator's currency
// setting, else the one the subscriber's priced packages share.
func (p *Portal) balance(amount string, pkgs []subscriberview.Package) string {
	amount = strings.TrimSpace(amount)
	if amount == "" {
		amount = "0.00"
	}
	currency := p.deps.Branding().Currency
	for _, pk := range pkgs {
		if currency == "" && pk.Currency != "" && pk.Price != "0.00" {
			currency = pk.Currency
		}
	}
	if currency == "" {
		return amount
	}
	return amount + "\u00a0" + currency // no-break: the code stays with its amount
}

// plays lists what the subscriber is watching now. The page still shows
// without it when the sessions cannot be read, saying so.
func (p *Portal) plays(c *gin.Context, subscriberID int64) ([]api.PlaySession, bool) {
	if p.deps.Plays == nil {
		return nil, false
	}
	pg, err := p.deps.Plays.FindPlaySessions(c, api.PlaySessionFilter{SubscriberID: subscriberID}, api.ListParams{Limit: 50})
	if err != nil {
		p.deps.Logger.ErrorContext(c, "list play sessions", "subscriber", subscriberID, "error", err)
		return nil, true
	}
	return pg.Items, false
}
