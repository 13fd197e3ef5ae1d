package portal

import (
	"net/http"
	"strings"

	"canale/server/internal/credential"
	"canale/server/internal/subscriberview"
	"canale/server/internal/webform"

	"github.com/gin-gonic/gin"
)

const (
	sessionCookie   = "canale_session"
	loginCSRFCookie = "canale_login_csrf"
	ctxSession      = "portal.session"
	csrfField       = "csrf"
)

// current is the signed-in subscriber of a request.
type current struct {
	token   string
	session subscriberview.Session
	sub     subscriberview.Subscriber
}

// cookies are the portal's: at the root, Lax so a link from elsewhere
// arrives signed in.
var cookies = webform.Cookies{Path: "/", SameSite: http.SameSiteLaxMode, Scheme: subscriberview.RequestScheme}

var loginCSRF = webform.LoginCSRF{Cookie: loginCSRFCookie, Cookies: cookies}

func (p *Portal) setCookie(c *gin.Context, name, value string, maxAge int) {
	cookies.Set(c.Writer, c.Request, name, value, maxAge)
}

// load finds the request's session, if any.
func (p *Portal) load(c *gin.Context) (current, bool) {
	token, err := c.Cookie(sessionCookie)
	if err != nil || token == "" {
		return current{}, false
	}
	s, err := p.deps.Sessions.Find(c, token)
	if err != nil {
		return current{}, false
	}
	sub, err := p.deps.Directory.SubscriberByID(c, s.SubscriberID)
	if err != nil {
		return current{}, false
	}
	return current{token: token, session: s, sub: sub}, true
}

// requireSession sends visitors without a session to the sign-in page.
func (p *Portal) requireSession(c *gin.Context) {
	cur, ok := p.load(c)
	if !ok {
		if c.Request.Method == http.MethodGet {
			c.Redirect(http.StatusSeeOther, "/login")
		} else {
			c.String(http.StatusForbidden, "sign in first\n")
		}
		c.Abort()
		return
	}
	c.Set(ctxSession, cur)
	c.Next()
}

func sessionOf(c *gin.Context) current { return c.MustGet(ctxSession).(current) }

// checkCSRF refuses a POST whose form token is not the session's.
func (p *Portal) checkCSRF(c *gin.Context) {
	if !webform.SameToken(c.PostForm(csrfField), sessionOf(c).session.CSRFToken) {
		c.String(http.StatusForbidden, webform.ExpiredForm)
		c.Abort()
		return
	}
	c.Next()
}

func (p *Portal) handleHome(c *gin.Context) {
	if _, ok := p.load(c); ok {
		c.Redirect(http.StatusSeeOther, "/channels")
		return
	}
	c.Redirect(http.StatusSeeOther, "/login")
}

// handleLoginForm shows the form with a fresh double-submit CSRF token.
func (p *Portal) handleLoginForm(c *gin.Context) {
	if _, ok := p.load(c); ok {
		c.Redirect(http.StatusSeeOther, "/channels")
		return
	}
	p.loginForm(c, http.StatusOK, "", "")
}

func (p *Portal) loginForm(c *gin.Context, status int, login, msg string) {
	token := loginCSRF.Issue(c.Writer, c.Request)
	pg := p.newPage(c)
	pg.Title, pg.CSRF, pg.Error, pg.Data = pg.T("Sign in"), token, msg, login
	p.render(c, status, "login", pg)
}

// refusalText says why a sign-in was refused in the page's language;
// webform.SignInRefusal's English message is the fallback.
func refusalText(t func(string, ...any) string, status int, english string) string {
	switch status {
	case http.StatusUnauthorized:
		return t("Wrong login or password.")
	case http.StatusTooManyRequests:
		return t("Too many failed attempts. Please wait a few minutes before trying again.")
	case http.StatusServiceUnavailable:
		return t("Too many people are signing in right now; please try again in a moment.")
	}
	return english
}

func (p *Portal) handleLogin(c *gin.Context) {
	if !loginCSRF.Valid(c.Request) {
		c.String(http.StatusForbidden, webform.ExpiredForm)
		return
	}
	login := strings.TrimSpace(c.PostForm("login"))
	sub, err := p.deps.Auth.Authenticate(c, login, c.PostForm("password"), c.ClientIP())
	if status, msg, refused := webform.SignInRefusal(c.Writer, err); refused {
		p.loginForm(c, status, login, refusalText(p.newPage(c).T, status, msg))
		return
	} else if err != nil {
		p.unavailable(c, "sign in", err)
		return
	}
	// Disabling or banning ends the subscriber's sessions; signing in again
	// must not start a new one. Said only now that the password is known
	// to be right, so it tells a stranger nothing.
	if access := sub.Access(p.deps.Now()); access == subscriberview.AccessDisabled || access == subscriberview.AccessBanned {
		p.deps.Logger.InfoContext(c, "portal sign-in refused", "subscriber_id", sub.ID, "access", access.String(),
			"client_ip", c.ClientIP())
		p.loginForm(c, http.StatusForbidden, login, p.newPage(c).T("Your account is disabled. Please contact your provider."))
		return
	}
	token, err := p.deps.Sessions.Create(c, subscriberview.Session{SubscriberID: sub.ID, CSRFToken: credential.NewToken(),
		ExpiresAt: p.deps.Now().Add(p.deps.SessionTTL), ClientIP: c.ClientIP(), UserAgent: truncate(c.Request.UserAgent(), 200)})
	if err != nil {
		p.unavailable(c, "create session", err)
		return
	}
	loginCSRF.Clear(c.Writer, c.Request)
	p.setCookie(c, sessionCookie, token, int(p.deps.SessionTTL.Seconds()))
	c.Redirect(http.StatusSeeOther, "/channels")
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

func (p *Portal) handleLogout(c *gin.Context) {
	if err := p.deps.Sessions.Delete(c, sessionOf(c).token); err != nil {
		p.unavailable(c, "sign out", err)
		return
	}
	p.setCookie(c, sessionCookie, "", -1)
	c.Redirect(http.StatusSeeOther, "/login")
}

// handleSignOutEverywhere ends every portal session of the subscriber, this
// one included, for when a device was lost or the password was shared.
func (p *Portal) handleSignOutEverywhere(c *gin.Context) {
	cur := sessionOf(c)
	if err := p.deps.Sessions.DeleteAll(c, cur.sub.ID); err != nil {
		p.unavailable(c, "sign out everywhere", err)
		return
	}
	p.deps.Logger.InfoContext(c, "subscriber signed out everywhere", "subscriber_id", cur.sub.ID, "client_ip", c.ClientIP())
	p.setCookie(c, sessionCookie, "", -1)
	c.Redirect(http.StatusSeeOther, "/login")
}
