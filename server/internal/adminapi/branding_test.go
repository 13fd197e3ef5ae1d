package adminapi_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"canale/server/internal/testserver"
	"canale/shared/api"
)

// TestBranding sets the portal's look through the typed client, sees the
// portal use it once the catalog reloads, and sees bad values refused
// with the field named.
func TestBranding(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	ctx := context.Background()

	for _, tc := range []struct {
		name  string
		b     api.Branding
		field string
	}{
		{"colour not #rrggbb", api.Branding{PrimaryColor: "red"}, "branding.primary_color"},
		{"short colour", api.Branding{AccentColor: "#fff"}, "branding.accent_color"},
		{"colour too light for white text", api.Branding{AccentColor: "#ffcc00"}, "branding.accent_color"},
		{"long name", api.Branding{Name: strings.Repeat("n", api.MaxBrandNameLength+1)}, "branding.name"},
		{"blank name", api.Branding{Name: "   "}, "branding.name"},
		{"two-line name", api.Branding{Name: "Acme\nTV"}, "branding.name"},
		{"relative logo", api.Branding{LogoURL: "/logo.png"}, "branding.logo_url"},
		{"currency", api.Branding{Currency: "euro"}, "branding.currency"},
	} {
		_, err := srv.Admin.UpdateSettings(ctx, api.SettingsUpdate{Branding: &tc.b})
		wantCode(t, tc.name, err, api.CodeInvalid, tc.field)
	}

	cur, err := srv.Admin.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if cur.Branding != (api.Branding{}) {
		t.Fatalf("branding before any change: %+v, want none", cur.Branding)
	}
	// Canale's own look while nothing is set: no brand stylesheet.
	if body := portalPage(t, srv.URL+"/login"); !strings.Contains(body, "· Canale</title>") || strings.Contains(body, "/brand.css") {
		t.Errorf("unbranded sign-in page: want Canale's name and no brand.css:\n%s", body)
	}
	want := api.Branding{Name: "Acme TV", LogoURL: "https://cdn.example.com/acme.png", PrimaryColor: "#3a0ca3",
		AccentColor: "#0b6e4f", Currency: "EUR"}
	got, err := srv.Admin.UpdateSettings(ctx, api.SettingsUpdate{Branding: &want, Version: cur.Version})
	if err != nil {
		t.Fatalf("set branding: %v", err)
	}
	if got.Branding != want {
		t.Errorf("branding after update: %+v, want %+v", got.Branding, want)
	}
	if again, _ := srv.Admin.Settings(ctx); again.Branding != want {
		t.Errorf("branding read back: %+v, want %+v", again.Branding, want)
	}

	// The portal follows once the catalog has reloaded the settings.
	deadline := time.Now().Add(10 * time.Second)
	for {
		body := portalPage(t, srv.URL+"/login")
		if strings.Contains(body, "<title>Sign in · Acme TV</title>") && strings.Contains(body, `href="/brand.css"`) &&
			strings.Contains(body, `src="https://cdn.example.com/acme.png"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the sign-in page does not show the branding:\n%s", body)
		}
		time.Sleep(100 * time.Millisecond)
	}
	css := portalPage(t, srv.URL+"/brand.css")
	for _, w := range []string{"--brand: #3a0ca3;", "--accent: #0b6e4f;"} {
		if !strings.Contains(css, w) {
			t.Errorf("brand.css lacks %q:\n%s", w, css)
		}
	}
	// Emptying the branding brings Canale's look back.
	if _, err := srv.Admin.UpdateSettings(ctx, api.SettingsUpdate{Branding: &api.Branding{}, Version: got.Version}); err != nil {
		t.Fatal(err)
	}
	if again, _ := srv.Admin.Settings(ctx); again.Branding != (api.Branding{}) {
		t.Errorf("branding after emptying: %+v", again.Branding)
	}
}

// TestPortalNotFound: a browser asking for an address nothing answers gets
// the portal's styled page with a 404; an API client keeps a plain 404.
func TestPortalNotFound(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	for _, path := range []string{"/no-such-page", "/account/nothing/here"} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		req.Header.Set("Accept", "text/html,application/xhtml+xml")
		req.Header.Set("Accept-Language", "es-ES,es;q=0.9")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusNotFound || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") ||
			!strings.Contains(string(body), `<html lang="es" dir="ltr">`) || !strings.Contains(string(body), "Página no encontrada") ||
			!strings.Contains(string(body), `href="/static/style.css"`) {
			t.Errorf("GET %s from a browser: %d %s, want the styled 404 in Spanish:\n%s", path, res.StatusCode,
				res.Header.Get("Content-Type"), body)
		}
		if res.Header.Get("Content-Security-Policy") == "" {
			t.Errorf("GET %s: the 404 page has no Content-Security-Policy", path)
		}
	}
	res, err := http.Get(srv.URL + "/api/v1/no-such-thing")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound || strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Errorf("API client: %d %s, want a 404 that is not the portal's page", res.StatusCode, res.Header.Get("Content-Type"))
	}
}

func portalPage(t *testing.T, u string) string {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", u, res.StatusCode)
	}
	return string(b)
}
