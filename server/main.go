// Command canale is the Canale IPTV middleware server. See "canale help".
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"canale/server/internal/cli"
	"canale/shared/buildinfo"
)

// version and commit are set at build time with -ldflags "-X main.version=…
// -X main.commit=…" from packaging/version.sh.
var version, commit string

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, buildinfo.New(version, commit), os.Args[1:], cli.IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, Getenv: os.Getenv})
	stop()
	os.Exit(code)
}
