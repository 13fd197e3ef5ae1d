package resellerpanel_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"canale/server/internal/testserver"
	"canale/shared/api"
)

// panelUser is a plain HTTP client signed in to the panel.
type panelUser struct {
	t    *testing.T
	base string
	c    *http.Client
	csrf string
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func signInPanel(t *testing.T, srv *testserver.Server, login, password string) *panelUser {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	u := &panelUser{t: t, base: srv.URL, c: &http.Client{Jar: jar}}
	_, form := u.get("/reseller/login")
	m := csrfInput.FindStringSubmatch(form)
	if m == nil {
		t.Fatalf("no csrf on the sign-in form: %s", form)
	}
	code, body := u.post("/reseller/login", url.Values{"csrf": {m[1]}, "login": {login}, "password": {password}})
	if code != http.StatusOK {
		t.Fatalf("sign in as %s: %d %s", login, code, body)
	}
	if m = csrfInput.FindStringSubmatch(body); m == nil {
		t.Fatalf("no csrf once signed in: %s", body)
	}
	u.csrf = m[1]
	return u
}

func (u *panelUser) get(path string) (int, string) {
	u.t.Helper()
	resp, err := u.c.Get(u.base + path)
	if err != nil {
		u.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// post sends a form with the session's CSRF token unless form has one.
func (u *panelUser) post(path string, form url.Values) (int, string) {
	u.t.Helper()
	if !form.Has("csrf") {
		form.Set("csrf", u.csrf)
	}
	resp, err := u.c.PostForm(u.base+path, form)
	if err != nil {
		u.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// allowSubResellers lets reseller id make sub-resellers one level down.
func allowSubResellers(t *testing.T, srv *testserver.Server, id int64) {
	t.Helper()
	ctx := context.Background()
	rules, err := srv.Admin.ResellerRules(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	rules.MayCreateResellers, rules.MaxDepth = true, 1
	if _, err := srv.Admin.SetResellerRules(ctx, rules); err != nil {
		t.Fatal(err)
	}
}

// credits returns reseller id's balance in minor units.
func credits(t *testing.T, srv *testserver.Server, id int64) int64 {
	t.Helper()
	r, err := srv.Admin.Reseller(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return r.CreditsMinor
}

var lineLink = regexp.MustCompile(`href="/reseller/lines/(\d+)"`)

// TestPanelLineChangesAndSubResellers manages a line (notes, password,
// delete) and a sub-reseller (create with opening credits and a price,
// transfer back, read its lines) through the panel's forms; a stranger's
// reseller answers not found.
func TestPanelLineChangesAndSubResellers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, dealer := panelServer(t)
	allowSubResellers(t, srv, dealer.ID)
	u := signInPanel(t, srv, dealerLogin, dealerPassword)
	pkg := strconv.FormatInt(dealer.Packages[0].PackageID, 10)
	code, body := u.post("/reseller/lines", url.Values{"login": {"bob-line"}, "password": {"bob-password"}, "package_id": {pkg}})
	m := lineLink.FindStringSubmatch(body)
	if code != http.StatusCreated || m == nil {
		t.Fatalf("create a line: %d %s", code, body)
	}
	line := "/reseller/lines/" + m[1]
	if code, body = u.post(line+"/notes", url.Values{"notes": {"pays cash"}}); code != http.StatusOK || !strings.Contains(body, `value="pays cash"`) {
		t.Errorf("notes: %d, want them on the line page", code)
	}
	if code, body = u.post(line+"/password", url.Values{"password": {"new-bob-password"}}); code != http.StatusOK || !strings.Contains(body, "new-bob-password") {
		t.Errorf("change password: %d, want the hand-over with the new password", code)
	}
	if code, _ = u.post(line+"/delete", url.Values{}); code != http.StatusOK {
		t.Errorf("delete: %d", code)
	}
	if code, _ = u.get(line); code != http.StatusNotFound {
		t.Errorf("deleted line: %d, want 404", code)
	}
	if got := credits(t, srv, dealer.ID); got != 800 {
		t.Errorf("credits after a sale and a delete without refunds: %v, want 800", got)
	}

	code, body = u.post("/reseller/subresellers", url.Values{"login": {"kid"}, "password": {"kid-password"}, "credits": {"3"},
		"price_" + pkg: {"2.50"}})
	if code != http.StatusCreated || !strings.Contains(body, `data-child="kid"`) {
		t.Fatalf("create a sub-reseller: %d %s", code, body)
	}
	kids, err := srv.Admin.Resellers(ctx, api.ResellerFilter{ParentID: dealer.ID}, api.ListParams{})
	if err != nil || len(kids.Items) != 1 {
		t.Fatalf("sub-resellers on the server: %+v, %v", kids.Items, err)
	}
	kid := kids.Items[0]
	if kid.CreditsMinor != 300 || len(kid.Packages) != 1 || kid.Packages[0].PriceCreditsMinor != 250 {
		t.Errorf("kid: %+v, want 3.00 credits and the package at 2.50", kid)
	}
	child := "/reseller/subresellers/" + strconv.FormatInt(kid.ID, 10)
	if code, body = u.post(child+"/credits", url.Values{"delta": {"-1"}, "reason": {"too much"}}); code != http.StatusOK || !strings.Contains(body, ">2.00<") {
		t.Errorf("take 1 back: %d, want the kid at 2.00", code)
	}
	if got := credits(t, srv, dealer.ID); got != 600 {
		t.Errorf("dealer's credits after giving 3 and taking 1 back: %v, want 600", got)
	}
	kidUser := signInPanel(t, srv, "kid", "kid-password")
	if code, _ = kidUser.get("/reseller/subresellers/" + strconv.FormatInt(dealer.ID, 10)); code != http.StatusNotFound {
		t.Errorf("kid opens its parent: %d, want 404", code)
	}
	if code, _ = kidUser.post("/reseller/subresellers/"+strconv.FormatInt(dealer.ID, 10)+"/credits", url.Values{"delta": {"-5"}}); code < 400 {
		t.Errorf("kid takes its parent's credits: %d, want a refusal", code)
	}
	if got := credits(t, srv, dealer.ID); got != 600 {
		t.Errorf("dealer's credits after the kid's try: %v, want 600", got)
	}
	if _, body = u.get("/reseller/logs"); !strings.Contains(body, "opening credits of kid") || !strings.Contains(body, "too much from kid") {
		t.Errorf("logs lack the transfers: %s", body)
	}
}
