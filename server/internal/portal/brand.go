package portal

import (
	"fmt"
	"net/http"
	"strings"

	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// defaultName is the portal's name when the operator set none.
const defaultName = "Canale"

// brand is the operator's look as the layout uses it.
type brand struct {
	Name, Logo string
	// Colors is whether /brand.css has anything to say; without colours
	// the page keeps style.css's Canale palette and skips the request.
	Colors   bool
	Currency string
}

func brandOf(b api.Branding) brand {
	out := brand{Name: strings.TrimSpace(b.Name), Logo: b.LogoURL, Colors: b.PrimaryColor != "" || b.AccentColor != "",
		Currency: b.Currency}
	if out.Name == "" {
		out.Name = defaultName
	}
	return out
}

// handleBrandCSS serves the operator's colours as CSS custom properties
// over style.css's defaults. It is a stylesheet rather than a <style>
// element because the Content-Security-Policy allows only our own
// stylesheets (style-src 'self'); the colours were validated as #rrggbb when
// saved, and are checked again here so a hand-edited setting cannot inject
// CSS.
func (p *Portal) handleBrandCSS(c *gin.Context) {
	b := p.deps.Branding()
	var css strings.Builder
	css.WriteString(":root {")
	for prop, v := range map[string]string{"--brand": b.PrimaryColor, "--accent": b.AccentColor} {
		if api.ContrastWithWhite(v) > 0 { // a well-formed #rrggbb
			fmt.Fprintf(&css, " %s: %s;", prop, v)
		}
	}
	css.WriteString(" }\n")
	c.Header("Cache-Control", "no-cache")
	c.Data(http.StatusOK, "text/css; charset=utf-8", []byte(css.String()))
}

// NotFound is the styled page for an address nothing answers, in the
// visitor's language. Mount it as the engine's last NoRoute handler: it
// leaves a request another handler answered, and those that are not a
// browser's GET (API clients get gin's plain 404).
func (p *Portal) NotFound(c *gin.Context) {
	if c.Writer.Written() || (c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead) ||
		!strings.Contains(c.GetHeader("Accept"), "text/html") {
		return
	}
	setSecurityHeaders(c.Writer.Header())
	setLang(c)
	if cur, ok := p.load(c); ok {
		c.Set(ctxSession, cur)
	}
	pg := p.newPage(c)
	p.render(c, http.StatusNotFound, "problem", page{Title: pg.T("Page not found"), T: pg.T,
		Data: problemText{Text: pg.T("There is no page at this address."), Hint: pg.T("Check the address, or start again from the home page."),
			Back: "/", BackText: pg.T("Go to the home page")}})
	c.Abort()
}
