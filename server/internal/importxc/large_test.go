package importxc_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"canale/server/internal/importxc"
	"canale/server/internal/testmariadb"
)

// envInt reads a sizing variable of the large import.
func envInt(t *testing.T, name string, def int) int {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return n
}

// peakRSS is the process's peak resident set size in MB.
func peakRSS() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Maxrss) / 1024 // kilobytes on Linux
}

// TestLargeImport imports CANALE_XC_LINES generated lines (default 300),
// CANALE_XC_STREAMS streams (default 2,000) and CANALE_XC_RESELLERS
// resellers owning the lines (default 20; a tenth of them sub-resellers),
// and logs how long each part took and the peak RSS. The timing is
// CANALE_XC_LINES=50000 CANALE_XC_STREAMS=8000 CANALE_XC_RESELLERS=200. It
// checks counts, not times.
func TestLargeImport(t *testing.T) {
	lines := envInt(t, "CANALE_XC_LINES", 300)
	streams := envInt(t, "CANALE_XC_STREAMS", 2000)
	resellers := envInt(t, "CANALE_XC_RESELLERS", 20)
	if testing.Short() {
		t.Skip("large import: not in -short mode")
	}
	srv := testmariadb.Start(t)
	start := time.Now()
	x := newXC(t, srv, "xtream_iptvpro", lines, streams)
	x.generateResellers(t, resellers)
	t.Logf("fixture: %d lines, %d streams, %d resellers in %s", lines, streams, resellers, time.Since(start).Round(time.Millisecond))
	c := newCanale(t)

	dry := run(t, x, c, importxc.Options{DryRun: true})
	t.Logf("dry run: %s", dry.Duration.Round(time.Millisecond))

	before := peakRSS()
	var progress bytes.Buffer
	rep, err := importxc.Run(context.Background(), x.open(t), c.st, importxc.Options{Progress: &progress})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	t.Logf("import: %.1f s, peak RSS %.0f MB (%.0f MB before the import)\nprogress:\n%s",
		rep.Duration.Seconds(), peakRSS(), before, progress.String())
	if got, want := rep.Imported["subscribers"], lines+4; got != want {
		t.Errorf("subscribers = %d, want %d", got, want)
	}
	if got := c.value(t, "SELECT count(*) FROM subscribers"); got != strconv.Itoa(lines+4) {
		t.Errorf("subscribers rows = %s, want %d", got, lines+4)
	}
	if got, want := c.value(t, "SELECT count(*) FROM channels"), strconv.Itoa(streams+6); got != want {
		t.Errorf("channels rows = %s, want %s", got, want)
	}
	if got, want := c.value(t, "SELECT count(*) FROM resellers WHERE id >= 1000"), strconv.Itoa(resellers); got != want {
		t.Errorf("generated resellers = %s, want %s", got, want)
	}
	if resellers > 0 {
		if got := c.value(t, "SELECT count(*) FROM subscribers WHERE reseller_id >= 1000"); got != strconv.Itoa(lines) {
			t.Errorf("lines owned by generated resellers = %s, want %d", got, lines)
		}
	}
}

// generateResellers adds n resellers (group 4, ids from 1000, every tenth
// owned by the one before it) and gives the generated lines to them.
func (x *xcDB) generateResellers(t testing.TB, n int) {
	t.Helper()
	if n == 0 {
		return
	}
	var vals []string
	for i := range n {
		id, owner := 1000+i, 0
		if i%10 == 9 {
			owner = id - 1
		}
		vals = append(vals, fmt.Sprintf("(%d, 'gen-res-%d', '%s', 0, 4, %d.25, '', '', %d)", id, id, resAHash, 100+i, owner))
	}
	x.exec(t, `INSERT INTO reg_users (id, username, password, date_registered, member_group_id, credits, default_lang, reseller_dns, owner_id) VALUES `+
		strings.Join(vals, ","))
	x.exec(t, fmt.Sprintf(`UPDATE users SET member_id = 1000 + (id %% %d) WHERE id >= %d`, n, genLineID))
}
