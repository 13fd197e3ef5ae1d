package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"sync"

	"canale/server/internal/config"
	"canale/server/internal/epgimport"
	"canale/shared/api"
)

// runEPGImport imports one EPG source now, showing its progress on one
// terminal line, and records the outcome as a scheduled run would.
func runEPGImport(ctx context.Context, args []string, cio IO) error {
	fs := flag.NewFlagSet("epg import", flag.ContinueOnError)
	fs.SetOutput(cio.Err)
	id := fs.Int64("source", 0, "id of the EPG source to import")
	cfg, err := config.ParseFlags(fs, args, cio.Getenv)
	if err != nil {
		return err
	}
	if *id <= 0 {
		return errors.New("--source: the id of an EPG source is required")
	}
	logger := cfg.Logger(cio.Err)
	db, err := openMigrated(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer db.Close()
	s := db.Store
	line := &progressLine{w: cio.Err}
	im := epgimport.New(epgimport.Config{Store: s, Logger: logger, Publish: line.show})
	done, err := im.Import(ctx, *id)
	line.end()
	if err != nil {
		return fmt.Errorf("import epg source %d: %w", *id, err)
	}
	fmt.Fprintf(cio.Out, "epg source %d: %d programmes, %d channels, %d skipped as malformed, %.1f MB in %.1f s\n",
		*id, done.Programmes, done.Channels, done.Warnings, float64(done.Bytes)/(1<<20), float64(done.DurationMS)/1000)
	return nil
}

// progressLine rewrites one terminal line with each progress event.
type progressLine struct {
	mu    sync.Mutex
	w     io.Writer
	shown bool
}

func (l *progressLine) show(e api.Event) {
	var p api.EPGProgress
	if e.Type != api.EventEPGProgress || json.Unmarshal(e.Data, &p) != nil {
		return
	}
	total := "?"
	if p.BytesTotal >= 0 {
		total = fmt.Sprintf("%.1f", float64(p.BytesTotal)/(1<<20))
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, "\r\033[Kdownloading: %.1f of %s MB, %d programmes, %d channels",
		float64(p.BytesRead)/(1<<20), total, p.Programmes, p.Channels)
	l.shown = true
}

func (l *progressLine) end() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.shown {
		fmt.Fprintln(l.w)
	}
}
