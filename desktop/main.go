// Command canale-admin is the NOC desktop app of Canale. This file is the
// only importer of fyne.io/fyne/v2/app, so every other package of the app
// builds and tests without cgo.
package main

import (
	"context"
	_ "embed"
	"log/slog"
	"os"
	"time"

	"canale/desktop/internal/session"
	"canale/desktop/internal/ui"
	"canale/shared/buildinfo"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
)

// icon is the app's window and taskbar icon; packaging installs the same
// file as the desktop entry's icon.
//
//go:embed icon.svg
var icon []byte

// version and commit are set at build time with -ldflags "-X main.version=…
// -X main.commit=…" from packaging/version.sh.
var version, commit string

func main() {
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	a := app.NewWithID("io.canale.admin")
	a.SetIcon(fyne.NewStaticResource("icon.svg", icon))
	sess := session.New(session.Config{Logger: logger, Prefs: a.Preferences()})
	w := a.NewWindow("Canale NOC")
	win := ui.New(a, w, sess)
	win.SetBuild(buildinfo.New(version, commit))
	// For scripted starts: CANALE_ADMIN_PASSWORD signs in at once, so keep
	// it out of shell history and use it only for demos and screenshots.
	win.Prefill(os.Getenv("CANALE_ADMIN_SERVER"), os.Getenv("CANALE_ADMIN_LOGIN"), os.Getenv("CANALE_ADMIN_PASSWORD"))
	w.Resize(fyne.NewSize(1100, 700))
	w.ShowAndRun()
	// The token lives only in memory; revoke it rather than leave it valid.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := sess.Logout(ctx); err != nil {
		logger.Warn("sign out on exit", "error", err)
	}
}
