// Command portalshot screenshots every page of the customer portal at a
// phone's, a laptop's and a desktop's size, and a few in Russian and
// Arabic, for reviewing the portal by eye. With -canale it starts that
// binary's `canale demo` and signs in as its subscriber (make portal-shot);
// otherwise it uses the portal at -url. It also reports each page that
// scrolls sideways, which a subscriber would see as a broken layout.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"canale/server/internal/testbrowser"

	"github.com/chromedp/chromedp"
)

type viewport struct {
	name          string
	width, height int64
}

var viewports = []viewport{{"390", 390, 844}, {"1366x768", 1366, 768}, {"1920x1080", 1920, 1080}}

// pages are the signed-in pages, by the name of their screenshot. A page
// answering 404 is skipped (another branch may not have added it yet),
// except the one meant to.
var pages = []struct{ name, path string }{
	{"channels", "/channels"},
	{"guide", "/guide"},
	{"player", "/player/1"},
	{"movies", "/movies"},
	{"series", "/shows"},
	{"playlists", "/playlists"},
	{"account", "/account"},
	{"reset-token", "/account/reset-token"},
	{"not-found", "/no-such-page"},
}

func main() {
	canale := flag.String("canale", "", "start `canale demo` from this binary and shoot its portal")
	addr := flag.String("addr", "127.0.0.1:18081", "with -canale: the demo's listen address")
	base := flag.String("url", "http://127.0.0.1:18080", "without -canale: the portal's address")
	login := flag.String("login", "demo", "without -canale: the subscriber's login")
	password := flag.String("password", "", "without -canale: the subscriber's password")
	out := flag.String("out", "bin/portal-shots", "where the PNGs go")
	flag.Parse()
	err := func() error {
		if *canale == "" {
			return run(*base, *login, *password, *out)
		}
		stop, pass, err := startDemo(*canale, *addr)
		defer stop()
		if err != nil {
			return err
		}
		return run("http://"+*addr, "demo", pass, *out)
	}()
	if err != nil {
		fmt.Fprintln(os.Stderr, "portalshot:", err)
		os.Exit(1)
	}
}

// startDemo runs `canale demo` on addr with a throw-away data directory and
// returns its subscriber's password once it printed it, and a stop that
// ends the demo and removes the directory.
func startDemo(canale, addr string) (stop func(), password string, err error) {
	dir, err := os.MkdirTemp("", "portalshot-demo")
	if err != nil {
		return func() {}, "", err
	}
	// The embedded PostgreSQL runs as postgres and must enter the directory.
	if err := os.Chmod(dir, 0o755); err != nil {
		return func() { os.RemoveAll(dir) }, "", err
	}
	cmd := exec.Command(canale, "demo")
	cmd.Env = append(os.Environ(), "CANALE_HTTP_ADDR="+addr, "CANALE_DATA_DIR="+filepath.Join(dir, "data"))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return func() { os.RemoveAll(dir) }, "", err
	}
	if err := cmd.Start(); err != nil {
		return func() { os.RemoveAll(dir) }, "", err
	}
	stop = func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		os.RemoveAll(dir)
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if p, ok := strings.CutPrefix(sc.Text(), "subscriber_password: "); ok {
				found <- p
			}
		}
		close(found)
	}()
	select {
	case p, ok := <-found:
		if !ok {
			return stop, "", fmt.Errorf("canale demo ended before it was up: %s", stderr.String())
		}
		// The simulators and the guide need a moment before now/next fill in.
		time.Sleep(5 * time.Second)
		return stop, p, nil
	case <-time.After(90 * time.Second):
		return stop, "", fmt.Errorf("canale demo did not start within 90 s: %s", stderr.String())
	}
}

func run(base, login, password, out string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	profile, err := os.MkdirTemp("", "portalshot")
	if err != nil {
		return err
	}
	defer os.RemoveAll(profile)
	alloc, cancelAlloc := testbrowser.NewAllocator(context.Background(), testbrowser.ChromiumPath, profile)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 10*time.Minute)
	defer cancelTimeout()

	s := shooter{ctx: ctx, base: base, out: out}
	for _, vp := range viewports {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(vp.width, vp.height)); err != nil {
			return err
		}
		s.shoot(vp, "login", "/login?lang=en")
		err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#login"), login), chromedp.SendKeys(chromedp.CSS("#password"), password),
			chromedp.Click(chromedp.CSS("#sign-in")), chromedp.WaitVisible(chromedp.CSS(`header a[href="/account"]`)))
		if err != nil {
			return fmt.Errorf("sign in as %s: %w", login, err)
		}
		for _, p := range pages {
			s.shoot(vp, p.name, p.path)
		}
		for _, lang := range []string{"ru", "ar"} {
			s.shoot(vp, "channels-"+lang, "/channels?lang="+lang)
			s.shoot(vp, "account-"+lang, "/account?lang="+lang)
			s.shoot(vp, "playlists-"+lang, "/playlists?lang="+lang)
		}
		// Back to English and signed out for the next size.
		err = chromedp.Do(ctx, chromedp.Navigate(base+"/account?lang=en"), chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)),
			chromedp.WaitVisible(chromedp.CSS("#login")))
		if err != nil {
			return fmt.Errorf("sign out: %w", err)
		}
	}
	slog.Info("portal screenshots", "dir", out, "files", s.n, "scroll_sideways", s.wide)
	if len(s.errs) > 0 {
		return errors.Join(s.errs...)
	}
	return nil
}

type shooter struct {
	ctx       context.Context
	base, out string
	n         int
	wide      []string
	errs      []error
}

// shoot saves the whole page at path as <name>-<viewport>.png.
func (s *shooter) shoot(vp viewport, name, path string) {
	resp, err := chromedp.Run(s.ctx, chromedp.NavigateResponse(s.base+path))
	if err != nil {
		s.errs = append(s.errs, fmt.Errorf("%s: %w", path, err))
		return
	}
	if resp != nil && resp.Status == 404 && name != "not-found" {
		slog.Info("skipped: the portal has no such page", "path", path)
		return
	}
	// Let scripts, fonts and images settle (the player starts its stream).
	if err := chromedp.Do(s.ctx, chromedp.WaitReady(chromedp.CSS("body")), chromedp.Sleep(time.Second)); err != nil {
		s.errs = append(s.errs, fmt.Errorf("%s: %w", path, err))
		return
	}
	if w, err := chromedp.Run(s.ctx, chromedp.Evaluate[[]int](`[document.scrollingElement.scrollWidth, window.innerWidth]`)); err == nil && w[0] > w[1] {
		s.wide = append(s.wide, fmt.Sprintf("%s@%s (%d>%d)", path, vp.name, w[0], w[1]))
	}
	png, err := chromedp.Run(s.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		s.errs = append(s.errs, fmt.Errorf("screenshot %s: %w", path, err))
		return
	}
	file := filepath.Join(s.out, strings.ReplaceAll(name, "/", "-")+"-"+vp.name+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		s.errs = append(s.errs, err)
		return
	}
	s.n++
}
