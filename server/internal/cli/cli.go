// Package cli is the canale command: it parses the subcommand, wires the
// components for it and runs it. main only calls Main, so tests start the
// real server the same way an operator does.
package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"canale/shared/buildinfo"
)

// IO is where a command reads and writes.
type IO struct {
	In       io.Reader
	Out, Err io.Writer
	Getenv   func(string) string
}

const usage = `Usage: canale <command> [flags]

Commands:
  serve         run the server (HTTP API, streamer endpoints, portal)
  setup init    create the schema and the administrator; prints login and password
  setup reset   wipe all Canale data, leaving an empty migrated database
  demo          run the server with demo data and 3 simulated streamers
  backup        write a consistent backup of the database while it serves
                ([--out FILE]; default: a new file in the data directory's backups/)
  restore FILE  restore a backup into an empty install ([--replace] to overwrite)
  epg import    import one EPG source now (--source ID), showing progress
  import xc     import an Xtream Codes / Xtream UI / XUI.one MySQL database
                (--mysql 'user:pass@tcp(host:3306)/xtream_iptvpro' [--dry-run] [--replace])
  version       print the version and the commit it was built from

Run "canale <command> -h" for the flags of a command. Every flag also reads a
CANALE_* environment variable; the flag wins.
`

// Main runs the command in args and returns the process exit code; build
// names the binary for `canale version`, /healthz and the admin API.
func Main(ctx context.Context, build buildinfo.Info, args []string, io IO) int {
	if len(args) == 0 {
		fmt.Fprint(io.Err, usage)
		return 2
	}
	var err error
	switch cmd := strings.Join(args[:min(2, len(args))], " "); {
	case args[0] == "serve":
		err = runServe(ctx, build.Version, args[1:], io)
	case cmd == "setup init":
		err = runSetupInit(ctx, args[2:], io)
	case cmd == "setup reset":
		err = runSetupReset(ctx, args[2:], io)
	case args[0] == "backup":
		err = runBackup(ctx, args[1:], io)
	case args[0] == "restore":
		err = runRestore(ctx, args[1:], io)
	case args[0] == "demo":
		err = runDemo(ctx, build.Version, args[1:], io)
	case cmd == "epg import":
		err = runEPGImport(ctx, args[2:], io)
	case cmd == "import xc":
		err = runImportXC(ctx, args[2:], io)
	case args[0] == "version" || args[0] == "--version":
		fmt.Fprintln(io.Out, "canale", build)
	case args[0] == "help" || args[0] == "-h" || args[0] == "--help":
		fmt.Fprint(io.Out, usage)
	default:
		fmt.Fprintf(io.Err, "canale: unknown command %q\n\n%s", strings.Join(args, " "), usage)
		return 2
	}
	if err != nil {
		fmt.Fprintln(io.Err, "canale:", err)
		return 1
	}
	return 0
}
