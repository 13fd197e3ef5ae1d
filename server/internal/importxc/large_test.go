package importxc_test

import (
	"bytes"
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"canale/server/internal/importxc"
	"canale/server/internal/testmariadb"
)

// TestLargeImport imports CANALE_XC_LINES generated lines (default 300; set
// 10000 for the timing in the report) and 2,000 streams, and logs how long
// each part took. It checks counts, not times.
func TestLargeImport(t *testing.T) {
	lines := 300
	if v := os.Getenv("CANALE_XC_LINES"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			t.Fatalf("CANALE_XC_LINES: %v", err)
		}
		lines = n
	}
	if testing.Short() {
		t.Skip("large import: not in -short mode")
	}
	srv := testmariadb.Start(t)
	start := time.Now()
	x := newXC(t, srv, "xtream_iptvpro", lines, 2000)
	t.Logf("fixture: %d lines, 2000 streams in %s", lines, time.Since(start).Round(time.Millisecond))
	c := newCanale(t)

	dry := run(t, x, c, importxc.Options{DryRun: true})
	t.Logf("dry run: %s", dry.Duration.Round(time.Millisecond))

	var progress bytes.Buffer
	rep, err := importxc.Run(context.Background(), x.open(t), c.st, importxc.Options{Progress: &progress})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	t.Logf("import: %s\nprogress:\n%s", rep.Duration.Round(time.Millisecond), progress.String())
	if got, want := rep.Imported["subscribers"], lines+4; got != want {
		t.Errorf("subscribers = %d, want %d", got, want)
	}
	if got := c.value(t, "SELECT count(*) FROM subscribers"); got != strconv.Itoa(lines+4) {
		t.Errorf("subscribers rows = %s, want %d", got, lines+4)
	}
	if got := c.value(t, "SELECT count(*) FROM channels"); got != "2006" {
		t.Errorf("channels rows = %s, want 2006", got)
	}
}
