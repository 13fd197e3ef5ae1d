package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"runtime"
	"runtime/metrics"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"canale/server/internal/credential"
	"canale/server/internal/store"
	"canale/server/internal/testserver"
	"canale/shared/api"
)

// from returns an HTTP client whose connections leave from the loopback
// address ip (Linux routes all of 127.0.0.0/8 to lo), so the server sees a
// distinct client address without trusting any forwarding header.
func from(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 10 * time.Second}
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 60 * time.Second,
		Transport:     &http.Transport{DialContext: d.DialContext, DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// outcome is how a sign-in ended, as its surface tells it.
type outcome struct {
	ok         bool
	status     int
	retryAfter string
}

// signInSurface is one place where a password is checked.
type signInSurface struct {
	name string
	// perPair is the failures one address may make on one login.
	perPair int
	// create makes an account and returns its login and password.
	create func(t *testing.T, srv *testserver.Server) (string, string)
	signIn func(t *testing.T, srv *testserver.Server, c *http.Client, login, password string) outcome
}

var signInSurfaces = []signInSurface{
	{name: "xc player_api", perPair: 10, create: createSubscriber, signIn: xcSignIn},
	{name: "xc get.php", perPair: 10, create: createSubscriber, signIn: getPHPSignIn},
	{name: "portal", perPair: 10, create: createSubscriber, signIn: portalSignIn},
	{name: "admin", perPair: 5, create: createAdmin, signIn: apiSignIn("")},
	{name: "reseller", perPair: 5, create: createReseller, signIn: apiSignIn(api.KindReseller)},
}

func createSubscriber(t *testing.T, srv *testserver.Server) (string, string) {
	t.Helper()
	_, err := srv.Admin.CreateSubscriber(t.Context(), api.Subscriber{Login: "owner", Password: "owner-password-1",
		Status: api.StatusActive, MaxSessions: 1})
	if err != nil {
		t.Fatal(err)
	}
	return "owner", "owner-password-1"
}

func createAdmin(t *testing.T, srv *testserver.Server) (string, string) {
	testserver.CreateAdmin(t, srv.Store, "owner", api.RoleAdmin, "owner-password-1")
	return "owner", "owner-password-1"
}

func createReseller(t *testing.T, srv *testserver.Server) (string, string) {
	t.Helper()
	if _, err := srv.Admin.CreateReseller(t.Context(), api.Reseller{Login: "owner", Password: "owner-password-1",
		Name: "Owner", Status: api.ResellerActive}); err != nil {
		t.Fatal(err)
	}
	return "owner", "owner-password-1"
}

func do(t *testing.T, c *http.Client, req *http.Request) (*http.Response, string) {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func xcSignIn(t *testing.T, srv *testserver.Server, c *http.Client, login, password string) outcome {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/player_api.php?"+
		url.Values{"username": {login}, "password": {password}}.Encode(), nil)
	resp, body := do(t, c, req)
	var info struct {
		UserInfo struct {
			Auth int `json:"auth"`
		} `json:"user_info"`
	}
	_ = json.Unmarshal([]byte(body), &info)
	return outcome{ok: resp.StatusCode == http.StatusOK && info.UserInfo.Auth == 1, status: resp.StatusCode}
}

func getPHPSignIn(t *testing.T, srv *testserver.Server, c *http.Client, login, password string) outcome {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/get.php?"+
		url.Values{"username": {login}, "password": {password}, "type": {"m3u_plus"}}.Encode(), nil)
	resp, body := do(t, c, req)
	return outcome{ok: resp.StatusCode == http.StatusOK && strings.HasPrefix(body, "#EXTM3U"), status: resp.StatusCode}
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func portalSignIn(t *testing.T, srv *testserver.Server, c *http.Client, login, password string) outcome {
	t.Helper()
	fresh := *c // a browser that has not signed in yet
	fresh.Jar, _ = cookiejar.New(nil)
	c = &fresh
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/login", nil)
	_, form := do(t, c, req)
	m := csrfInput.FindStringSubmatch(form)
	if m == nil {
		t.Fatalf("no CSRF field in the sign-in form: %s", form)
	}
	req, _ = http.NewRequest(http.MethodPost, srv.URL+"/login", strings.NewReader(
		url.Values{"csrf": {m[1]}, "login": {login}, "password": {password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, _ := do(t, c, req)
	return outcome{ok: resp.StatusCode == http.StatusSeeOther && resp.Header.Get("Location") == "/channels",
		status: resp.StatusCode, retryAfter: resp.Header.Get("Retry-After")}
}

func apiSignIn(as string) func(*testing.T, *testserver.Server, *http.Client, string, string) outcome {
	return func(t *testing.T, srv *testserver.Server, c *http.Client, login, password string) outcome {
		t.Helper()
		b, _ := json.Marshal(api.LoginRequest{Login: login, Password: password, As: as})
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/auth/login", bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		resp, _ := do(t, c, req)
		return outcome{ok: resp.StatusCode == http.StatusOK, status: resp.StatusCode, retryAfter: resp.Header.Get("Retry-After")}
	}
}

// TestGuessingDoesNotLockTheOwnerOut performs the lock-out attack on every
// sign-in surface: wrong guesses from another address, then from many, must
// not stop the owner. The owner's remembered password works at once from
// where it was used; from a new address the owner is slowed, not refused.
// The guessing address itself is stopped.
func TestGuessingDoesNotLockTheOwnerOut(t *testing.T) {
	t.Parallel()
	for _, s := range signInSurfaces {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			srv := testserver.Start(t)
			login, password := s.create(t, srv)
			home, attacker := from("127.0.0.2"), from("127.0.0.3")
			if o := s.signIn(t, srv, home, login, password); !o.ok {
				t.Fatalf("owner's first sign-in: %+v", o)
			}
			for i := range s.perPair {
				if o := s.signIn(t, srv, attacker, login, "guess-"+string(rune('a'+i))); o.ok {
					t.Fatalf("guess %d succeeded", i+1)
				}
			}
			if o := s.signIn(t, srv, attacker, login, password); o.ok {
				t.Errorf("the guessing address signs in after %d failures: %+v; want it stopped", s.perPair, o)
			}
			if o := s.signIn(t, srv, home, login, password); !o.ok {
				t.Errorf("owner at home after the attack: %+v; want signed in", o)
			}
			var wg sync.WaitGroup
			for i := range s.perPair {
				wg.Go(func() { _ = s.signIn(t, srv, from(fmt.Sprintf("127.0.1.%d", i+1)), login, fmt.Sprintf("spread-%d", i)) })
			}
			wg.Wait()
			start := time.Now()
			if o := s.signIn(t, srv, from("127.0.0.50"), login, password); !o.ok {
				t.Errorf("owner from a new address after a spread attack: %+v; want slowed, not locked", o)
			}
			t.Logf("owner from a new address waited %v", time.Since(start))
		})
	}
}

// heapPeak samples the heap until stop is closed and returns the highest
// value seen.
func heapPeak(stop <-chan struct{}) <-chan uint64 {
	out := make(chan uint64, 1)
	go func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var peak uint64
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(s)
			peak = max(peak, s[0].Value.Uint64())
			select {
			case <-stop:
				out <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return out
}

// TestSignInFloodIsBounded sends many sign-ins for unknown logins at once,
// the flood that took a server from 88 to 478 MB: the hashing they cause
// must stay within a few argon2id runs of memory, the sign-ins past the
// bound must get 503 with Retry-After (or the plain 401), and a remembered
// subscriber must keep signing in meanwhile. Not parallel: it measures the
// test process's heap.
func TestSignInFloodIsBounded(t *testing.T) {
	srv := testserver.Start(t)
	login, password := createSubscriber(t, srv)
	home := from("127.0.0.2")
	if o := xcSignIn(t, srv, home, login, password); !o.ok {
		t.Fatalf("owner's first sign-in: %+v", o)
	}
	const argonRun = 19 << 20
	flood := 4*runtime.GOMAXPROCS(0) + 8
	runtime.GC()
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	base := s[0].Value.Uint64()
	stop := make(chan struct{})
	peak := heapPeak(stop)

	outcomes := make(chan outcome, flood)
	var wg sync.WaitGroup
	for i := range flood {
		wg.Go(func() {
			c := from(fmt.Sprintf("127.0.2.%d", i+1))
			if i%2 == 0 {
				outcomes <- portalSignIn(t, srv, c, fmt.Sprintf("nobody%d", i), "whatever-password")
			} else {
				outcomes <- apiSignIn("")(t, srv, c, fmt.Sprintf("nobody%d", i), "whatever-password")
			}
		})
	}
	if o := xcSignIn(t, srv, home, login, password); !o.ok {
		t.Errorf("remembered subscriber during the flood: %+v; want signed in", o)
	}
	wg.Wait()
	close(stop)
	close(outcomes)
	grew := int64(<-peak) - int64(base)
	busy := 0
	for o := range outcomes {
		switch {
		case o.status == http.StatusServiceUnavailable && o.retryAfter != "":
			busy++
		case o.status != http.StatusUnauthorized:
			t.Errorf("flooded sign-in answered %+v; want 401, or 503 with Retry-After", o)
		}
	}
	if limit := int64(2*runtime.GOMAXPROCS(0)+4) * argonRun; grew > limit {
		t.Errorf("%d sign-ins at once grew the heap by %d MiB; want at most %d MiB", flood, grew>>20, limit>>20)
	}
	t.Logf("%d sign-ins at once: heap grew %d MiB, %d answered busy", flood, grew>>20, busy)
}

// helloWorldSHA512 is Drepper's SHA-512 crypt test vector for "Hello world!",
// the kind of hash an Xtream Codes panel keeps for its users.
const helloWorldSHA512 = "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1"

// importedHash hashes password as `canale import` does: argon2id with the
// cheap import parameters.
func importedHash(t *testing.T, password string) string {
	t.Helper()
	out, _, err := credential.HashAllForImport(t.Context(), []string{password}, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	return out[0]
}

// createImportedSubscriber stores a subscriber whose hash came from an
// import and waits for the instance's read model to hold it.
func createImportedSubscriber(t *testing.T, srv *testserver.Server, login, hash string) {
	t.Helper()
	rows := []store.ImportRow{{Line: 1, Login: login, PasswordHash: hash, Status: api.StatusActive, MaxSessions: 1}}
	if rep, err := srv.Store.ImportSubscribers(t.Context(), api.SystemActor("test"), rows, store.ImportOptions{}); err != nil || rep.Created != 1 {
		t.Fatalf("import %s: got %+v, %v", login, rep, err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if _, ok := srv.App.Catalog().SubscriberByLogin(login); ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("subscriber %s never reached the read model", login)
		}
	}
}

// TestSignInUpgradesWeakHashes signs in with accounts whose hashes came
// from imports (argon2id with the import parameters, SHA-512 crypt from an
// Xtream Codes panel) and expects each hash replaced with one of today's
// parameters, which still takes the same password.
func TestSignInUpgradesWeakHashes(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	ctx := t.Context()
	createImportedSubscriber(t, srv, "imported", importedHash(t, "imported-password"))
	testserver.CreateAdmin(t, srv.Store, "panel-admin", api.RoleAdmin, "unused")
	if _, _, err := srv.Store.UpsertAdmin(ctx, api.SystemActor("test"), "panel-admin", api.RoleAdmin, helloWorldSHA512); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Store.CreateReseller(ctx, api.SystemActor("test"), api.Reseller{Login: "panel-reseller",
		Name: "Panel", Status: api.ResellerActive}, helloWorldSHA512); err != nil {
		t.Fatal(err)
	}
	c := from("127.0.0.2")
	for _, tc := range []struct {
		name, login, password string
		signIn                func(*testing.T, *testserver.Server, *http.Client, string, string) outcome
		stored                func() (string, error)
	}{
		{"subscriber", "imported", "imported-password", xcSignIn, func() (string, error) {
			cr, err := srv.Store.FindSubscriberByLogin(ctx, "imported")
			return cr.PasswordHash, err
		}},
		{"admin", "panel-admin", "Hello world!", apiSignIn(""), func() (string, error) {
			cr, err := srv.Store.FindAdminByLogin(ctx, "panel-admin")
			return cr.PasswordHash, err
		}},
		{"reseller", "panel-reseller", "Hello world!", apiSignIn(api.KindReseller), func() (string, error) {
			cr, err := srv.Store.FindResellerByLogin(ctx, "panel-reseller")
			return cr.PasswordHash, err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if o := tc.signIn(t, srv, c, tc.login, tc.password); !o.ok {
				t.Fatalf("sign-in with the imported password: %+v", o)
			}
			h, err := tc.stored()
			if err != nil {
				t.Fatal(err)
			}
			if credential.NeedsRehash(h) || credential.VerifyPassword(h, tc.password) != nil {
				t.Errorf("stored hash after sign-in: %q; want today's argon2id parameters for the same password", h)
			}
			if o := tc.signIn(t, srv, from("127.0.0.4"), tc.login, tc.password); !o.ok {
				t.Errorf("sign-in after the upgrade: %+v", o)
			}
		})
	}
}

// TestSignInTimingHidesWhichLoginsExist compares wrong passwords of
// imported subscribers (whose cheap hashes took 2 ms to reject) with
// unknown logins (30 ms), over XC, many times interleaved. Medians with a
// generous ratio keep a loaded machine from making it flaky while the
// 10-fold gap it closes cannot hide. Each login is tried once, from one of
// a few addresses, so no limit or slowdown takes part.
func TestSignInTimingHidesWhichLoginsExist(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	const tries = 15
	hashes, _, err := credential.HashAllForImport(t.Context(), slices.Repeat([]string{"right-password"}, tries), 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, h := range hashes {
		createImportedSubscriber(t, srv, fmt.Sprintf("imported%d", i), h)
	}
	var known, unknown []time.Duration
	for i := range tries {
		c := from(fmt.Sprintf("127.0.3.%d", i%4+1))
		for _, login := range []string{fmt.Sprintf("imported%d", i), fmt.Sprintf("unknown%d", i)} {
			start := time.Now()
			if o := xcSignIn(t, srv, c, login, "wrong-password"); o.ok {
				t.Fatalf("%s signed in with a wrong password", login)
			}
			if strings.HasPrefix(login, "imported") {
				known = append(known, time.Since(start))
			} else {
				unknown = append(unknown, time.Since(start))
			}
		}
	}
	median := func(d []time.Duration) time.Duration { slices.Sort(d); return d[len(d)/2] }
	k, u := median(known), median(unknown)
	if ratio := float64(k) / float64(u); ratio < 0.5 || ratio > 2 {
		t.Errorf("median wrong-password time: imported login %v, unknown login %v (ratio %.2f); want within a factor of 2", k, u, ratio)
	}
	t.Logf("median wrong-password time: imported login %v, unknown login %v", k, u)
}
