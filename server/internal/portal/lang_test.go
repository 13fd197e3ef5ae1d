package portal_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestLanguageNegotiation: Accept-Language picks the page's language, a
// ?lang= pick is remembered in a cookie and wins over the browser's, and
// an unknown pick changes nothing.
func TestLanguageNegotiation(t *testing.T) {
	e := start(t, "")
	c := client(t)
	get := func(path, accept string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, e.url+path, nil)
		if accept != "" {
			req.Header.Set("Accept-Language", accept)
		}
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}
	for _, tc := range []struct {
		path, accept, html, heading string
	}{
		{"/login", "", `<html lang="en" dir="ltr">`, "<h1>Sign in</h1>"},
		{"/login", "ru-RU,ru;q=0.9,en;q=0.8", `<html lang="ru" dir="ltr">`, "<h1>Войти</h1>"},
		{"/login", "ar-SA", `<html lang="ar" dir="rtl">`, "<h1>تسجيل الدخول</h1>"},
		{"/login", "fr-FR,fr;q=0.9", `<html lang="en" dir="ltr">`, "<h1>Sign in</h1>"},
		{"/login?lang=es", "ru-RU", `<html lang="es" dir="ltr">`, "<h1>Iniciar sesión</h1>"},
		{"/login", "ru-RU", `<html lang="es" dir="ltr">`, "<h1>Iniciar sesión</h1>"}, // the cookie of the pick above
		{"/login?lang=xx", "ru-RU", `<html lang="es" dir="ltr">`, "<h1>Iniciar sesión</h1>"},
		{"/login?lang=en", "ru-RU", `<html lang="en" dir="ltr">`, "<h1>Sign in</h1>"},
	} {
		res, body := get(tc.path, tc.accept)
		if !strings.Contains(body, tc.html) || !strings.Contains(body, tc.heading) {
			t.Errorf("GET %s (Accept-Language %q): want %s and %s in\n%s", tc.path, tc.accept, tc.html, tc.heading, body)
		}
		if want := tc.html[len(`<html lang="`) : len(`<html lang="`)+2]; res.Header.Get("Content-Language") != want {
			t.Errorf("GET %s: Content-Language %q, want %q", tc.path, res.Header.Get("Content-Language"), want)
		}
	}
	_, body := get("/login?lang=ru", "")
	if !strings.Contains(body, `hreflang="ar"`) || !strings.Contains(body, "العربية") {
		t.Errorf("the switcher does not offer Arabic:\n%s", body)
	}
	// The switcher keeps the rest of the query (a search, a page).
	if _, body := get("/login?lang=ru&q=news+%26+sport", ""); !strings.Contains(body, `href="?lang=ar&amp;q=news&#43;%26&#43;sport"`) {
		t.Errorf("the switcher's Arabic link drops the query:\n%s", body)
	}
	// A refused sign-in says why in the picked language.
	form := url.Values{"csrf": {csrfOf(t, c, e.url+"/login")}, "login": {"alice"}, "password": {"wrong"}}
	if res, body := post(t, c, e.url+"/login", form); res.StatusCode != http.StatusUnauthorized ||
		!strings.Contains(body, "Неверный логин или пароль.") {
		t.Errorf("wrong password in Russian: %d\n%s", res.StatusCode, body)
	}
}
