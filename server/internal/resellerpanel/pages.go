package resellerpanel

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"canale/server/internal/credential"
	"canale/server/internal/playlist"
	"canale/server/internal/store"
	"canale/server/internal/subscriberapi"
	"canale/server/internal/subscriberview"
	"canale/server/internal/webform"
	"canale/shared/api"

	"github.com/gin-gonic/gin"
	"rsc.io/qr"
)

// formatCredits shows minor units as "12.34", the one format of shared/api.
func formatCredits(minor int64) string { return api.FormatCredits(minor) }

func formatDate(t *time.Time) string {
	if t == nil {
		return "never"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

func (p *Panel) handleHome(c *gin.Context) {
	if _, ok := p.load(c); ok {
		c.Redirect(http.StatusSeeOther, "/reseller/dashboard")
		return
	}
	c.Redirect(http.StatusSeeOther, "/reseller/login")
}

func (p *Panel) handleLoginForm(c *gin.Context) {
	if _, ok := p.load(c); ok {
		c.Redirect(http.StatusSeeOther, "/reseller/dashboard")
		return
	}
	p.loginForm(c, http.StatusOK, "", "")
}

// loginForm shows the sign-in form with a fresh double-submit CSRF token.
func (p *Panel) loginForm(c *gin.Context, status int, login, msg string) {
	token := loginCSRF.Issue(c.Writer, c.Request)
	p.render(c, status, "login", page{Title: "Reseller sign in", CSRF: token, Error: msg, Data: login})
}

func (p *Panel) handleLogin(c *gin.Context) {
	if !loginCSRF.Valid(c.Request) {
		c.String(http.StatusForbidden, webform.ExpiredForm)
		return
	}
	login := strings.TrimSpace(c.PostForm("login"))
	token, _, _, err := p.deps.Accounts.SignInReseller(c, login, c.PostForm("password"))
	if status, msg, refused := webform.SignInRefusal(c.Writer, err); refused {
		p.loginForm(c, status, login, msg)
		return
	} else if err != nil {
		p.unavailable(c, "reseller panel sign in", err)
		return
	}
	loginCSRF.Clear(c.Writer, c.Request)
	p.setCookie(c, sessionCookie, token, int(p.deps.SessionTTL.Seconds()))
	c.Redirect(http.StatusSeeOther, "/reseller/dashboard")
}

func (p *Panel) handleLogout(c *gin.Context) {
	if err := p.deps.Accounts.SignOutReseller(c.Request.Context(), current(c).token); err != nil {
		p.deps.Logger.WarnContext(c, "reseller panel sign out", "error", err)
	}
	p.setCookie(c, sessionCookie, "", -1)
	c.Redirect(http.StatusSeeOther, "/reseller/login")
}

type dashboardData struct {
	api.ResellerDashboard
	Moves []api.CreditLogEntry
}

func (p *Panel) handleDashboard(c *gin.Context) {
	s := current(c)
	d, err := p.deps.Store.ResellerDashboard(c.Request.Context(), s.reseller.ID)
	var moves api.Page[api.CreditLogEntry]
	if err == nil {
		moves, err = p.deps.Store.FindCreditLog(c.Request.Context(), s.reseller.ID, api.ListParams{Limit: 10})
	}
	if err != nil {
		p.unavailable(c, "reseller dashboard", err)
		return
	}
	p.render(c, http.StatusOK, "dashboard", page{Title: "Dashboard", Nav: "dashboard", Data: dashboardData{d, moves.Items}})
}

func (p *Panel) unavailable(c *gin.Context, what string, err error) {
	p.deps.Logger.ErrorContext(c, what, "error", err)
	p.problem(c, http.StatusServiceUnavailable, "Temporarily unavailable", "Please try again in a minute.")
}

// offer is a package the reseller sells, with its name and its price.
type offer struct {
	ID         int64
	Name       string
	Price      int64 // minor units
	PeriodDays int
}

func (p *Panel) offers(c *gin.Context, r api.Reseller) []offer {
	var out []offer
	for _, rp := range r.Packages {
		pkg, err := p.deps.Store.FindPackageByID(c.Request.Context(), rp.PackageID)
		if err != nil {
			continue
		}
		out = append(out, offer{ID: pkg.ID, Name: pkg.Name, Price: rp.PriceCreditsMinor, PeriodDays: pkg.PeriodDays})
	}
	return out
}

type linesData struct {
	Query, Next     string
	Lines           []api.Subscriber
	Offers          []offer
	Trials          bool
	NewLogin, NewPW string
}

func (p *Panel) handleLines(c *gin.Context) {
	p.lines(c, http.StatusOK, "", "")
}

// lines renders the list, the new-line form and, after a refused form, why.
func (p *Panel) lines(c *gin.Context, status int, msg, notice string) {
	s := current(c)
	q := strings.TrimSpace(c.Query("q"))
	page1, err := p.deps.Store.FindSubscribers(c.Request.Context(), api.SubscriberFilter{ResellerID: s.reseller.ID},
		api.ListParams{Query: q, Cursor: c.Query("cursor"), Limit: 25})
	if err != nil && api.ErrorCode(err) != api.CodeInvalid {
		p.unavailable(c, "reseller lines", err)
		return
	}
	rules, err := p.deps.Store.FindResellerRules(c.Request.Context(), s.reseller.ID)
	if err != nil {
		p.unavailable(c, "reseller rules", err)
		return
	}
	d := linesData{Query: q, Next: page1.Next, Lines: page1.Items, Offers: p.offers(c, s.reseller),
		Trials:   rules.TrialsPerDay > 0 && rules.TrialsPerMonth > 0 && rules.TrialPackageID != nil,
		NewLogin: newLogin(rules.MinLoginLength), NewPW: credential.NewPassword(max(10, rules.MinPasswordLength))}
	p.render(c, status, "lines", page{Title: "Lines", Nav: "lines", Error: msg, Notice: notice, Data: d})
}

// newLogin proposes a login of at least n characters that is easy to read
// out to a customer.
func newLogin(n int) string {
	return "tv" + strings.ToLower(credential.NewPassword(max(8, n-2)))
}

// refused shows a store refusal on the lines page with its field, in the
// status the admin API would answer.
func (p *Panel) refused(c *gin.Context, err error) {
	status := map[api.Code]int{api.CodeInvalid: http.StatusBadRequest, api.CodeConflict: http.StatusConflict,
		api.CodeForbidden: http.StatusForbidden, api.CodeNotFound: http.StatusNotFound}[api.ErrorCode(err)]
	if status == 0 {
		p.unavailable(c, "reseller panel write", err)
		return
	}
	p.lines(c, status, fieldMessage(err), "")
}

// fieldMessage says what a refusal is about, naming its field as the
// reseller reads it ("trials per day: 1 of 1 used").
func fieldMessage(err error) string {
	msg := api.ErrorMessage(err)
	var e *api.Error
	if errors.As(err, &e) {
		for field, why := range e.Fields {
			msg = fmt.Sprintf("%s: %s", strings.ReplaceAll(field, "_", " "), why)
		}
	}
	return msg
}

func (p *Panel) handleLineCreate(c *gin.Context) {
	s := current(c)
	pkg, _ := strconv.ParseInt(c.PostForm("package_id"), 10, 64)
	sub := api.Subscriber{Login: strings.TrimSpace(c.PostForm("login")), Password: c.PostForm("password"),
		Name: strings.TrimSpace(c.PostForm("name")), Notes: c.PostForm("notes"), PackageIDs: []int64{pkg}}
	out, err := p.deps.Store.CreateSubscriber(c.Request.Context(), s.actor(c), sub)
	if err != nil {
		p.refused(c, err)
		return
	}
	p.handover(c, http.StatusCreated, out, sub.Password, "Line created; credits were debited.")
}

func (p *Panel) handleTrial(c *gin.Context) {
	s := current(c)
	rules, err := p.deps.Store.FindResellerRules(c.Request.Context(), s.reseller.ID)
	if err != nil {
		p.unavailable(c, "reseller rules", err)
		return
	}
	req := api.TrialRequest{Login: strings.TrimSpace(c.PostForm("login")), Password: c.PostForm("password"),
		Name: strings.TrimSpace(c.PostForm("name"))}
	if req.Login == "" {
		req.Login = newLogin(rules.MinLoginLength)
	}
	if req.Password == "" {
		req.Password = credential.NewPassword(max(10, rules.MinPasswordLength))
	}
	out, err := p.deps.Store.CreateTrial(c.Request.Context(), s.actor(c), req)
	if err != nil {
		p.refused(c, err)
		return
	}
	p.handover(c, http.StatusCreated, out, req.Password, fmt.Sprintf("Trial line created for %d hours.", rules.TrialHours))
}

// line finds the signed-in reseller's line named in the path; anyone
// else's is "not found", as in the store.
func (p *Panel) line(c *gin.Context) (api.Subscriber, bool) {
	s := current(c)
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	var sub api.Subscriber
	if err == nil {
		sub, err = p.deps.Store.FindSubscriberByID(c.Request.Context(), id)
	}
	if err == nil && !store.SubscriberVisibleTo(s.actor(c), sub) {
		err = api.Errorf(api.CodeNotFound, "no such line")
	}
	if err != nil {
		p.problem(c, http.StatusNotFound, "Line not found", "This line does not exist or is not yours.")
		return sub, false
	}
	return sub, true
}

// handoverData is what a customer is handed: links, Xtream Codes
// credentials and a QR code of the playlist.
type handoverData struct {
	Line                      api.Subscriber
	Password                  string // only right after it was set
	Playlist, PlaylistTS, EPG string
	Server, Portal            string
	Offers                    []offer
}

func (p *Panel) handoverFor(c *gin.Context, sub api.Subscriber, password string) handoverData {
	l := p.links(c)
	return handoverData{Line: sub, Password: password, Playlist: subscriberapi.M3UURL(l, sub.Token, playlist.FormatHLS),
		PlaylistTS: subscriberapi.M3UURL(l, sub.Token, playlist.FormatTS), EPG: subscriberapi.EPGURL(l, sub.Token),
		Server: l.Base, Portal: l.Base + "/", Offers: p.offers(c, current(c).reseller)}
}

// links are the signed-in reseller's customers' links: on its DNS when the
// operator set one.
func (p *Panel) links(c *gin.Context) subscriberview.Links {
	l := subscriberview.LinksFor(c.Request, p.deps.ExternalURL(), "")
	rules, err := p.deps.Store.FindResellerRules(c.Request.Context(), current(c).reseller.ID)
	if err != nil {
		p.deps.Logger.WarnContext(c, "read reseller rules for links; using the server's own", "reseller_id", current(c).reseller.ID, "error", err)
		return l
	}
	return l.OnResellerDNS(rules.DNS)
}

func (p *Panel) handover(c *gin.Context, status int, sub api.Subscriber, password, notice string) {
	p.render(c, status, "handover", page{Title: "Hand-over: " + sub.Login, Nav: "lines", Notice: notice,
		Data: p.handoverFor(c, sub, password)})
}

func (p *Panel) handleLine(c *gin.Context) {
	if sub, ok := p.line(c); ok {
		p.render(c, http.StatusOK, "line", page{Title: "Line " + sub.Login, Nav: "lines", Notice: c.Query("done"),
			Data: lineData{p.handoverFor(c, sub, ""), p.connections(c, sub), p.devices(c, sub)}})
	}
}

func (p *Panel) handleLineExtend(c *gin.Context) {
	sub, ok := p.line(c)
	if !ok {
		return
	}
	pkg, _ := strconv.ParseInt(c.PostForm("package_id"), 10, 64)
	if _, err := p.deps.Store.ExtendSubscriber(c.Request.Context(), current(c).actor(c), sub.ID, api.ExtendRequest{PackageID: pkg}); err != nil {
		p.refused(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/reseller/lines/%d?done=Extended", sub.ID))
}

func (p *Panel) handleLineStatus(c *gin.Context) {
	sub, ok := p.line(c)
	if !ok {
		return
	}
	status := c.PostForm("status")
	if status != api.StatusActive && status != api.StatusDisabled {
		p.refused(c, &api.Error{Code: api.CodeInvalid, Message: "bad status", Fields: map[string]string{"status": "must be active or disabled"}})
		return
	}
	if _, err := p.deps.Store.SetSubscriberStatus(c.Request.Context(), current(c).actor(c), sub.ID, status); err != nil {
		p.refused(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/reseller/lines/%d?done=Saved", sub.ID))
}

// handleLineQR draws the line's playlist link for a customer's phone or TV
// app to scan.
func (p *Panel) handleLineQR(c *gin.Context) {
	sub, ok := p.line(c)
	if !ok {
		return
	}
	code, err := qr.Encode(subscriberapi.M3UURL(p.links(c), sub.Token, playlist.FormatHLS), qr.M)
	if err != nil {
		p.unavailable(c, "qr", err)
		return
	}
	c.Data(http.StatusOK, "image/png", code.PNG())
}
