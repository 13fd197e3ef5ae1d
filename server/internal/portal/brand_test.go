package portal

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// TestBrandingCannotInjectMarkup: the API refuses bad colours and logos,
// but settings.data can be edited by hand; what the portal serves from it
// still cannot carry CSS or a script URL.
func TestBrandingCannotInjectMarkup(t *testing.T) {
	evil := api.Branding{Name: `</title><script>alert(1)</script>`, LogoURL: "javascript:alert(1)",
		PrimaryColor: "#000; } body { display: none", AccentColor: "#0b57d0</style>"}
	p := New(Deps{Branding: func() api.Branding { return evil }, Logger: slog.New(slog.DiscardHandler)})
	e := gin.New()
	p.Register(&e.RouterGroup)
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	get := func(path string) string {
		t.Helper()
		res, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return string(b)
	}
	if css := get("/brand.css"); strings.Contains(css, "display") || strings.Contains(css, "style") || strings.Contains(css, "#") {
		t.Errorf("brand.css carries the hand-edited values:\n%s", css)
	}
	page := get("/login")
	for _, bad := range []string{"<script>alert", "javascript:"} {
		if strings.Contains(page, bad) {
			t.Errorf("the sign-in page carries %q:\n%s", bad, page)
		}
	}
}
