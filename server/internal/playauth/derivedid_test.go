package playauth

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
)

// TestDerivedIDStable: session ids derived before this build (sha256 of
// the NUL-ended parts, 12 bytes in hex) are the ones derived now, short
// inputs and inputs longer than the stack buffer alike, so sessions keep
// their ids across an upgrade.
func TestDerivedIDStable(t *testing.T) {
	want := func(prefix string, parts ...string) string {
		h := sha256.New()
		for _, p := range parts {
			h.Write([]byte(p))
			h.Write([]byte{0})
		}
		return prefix + "-" + hex.EncodeToString(h.Sum(nil)[:12])
	}
	long := strings.Repeat("x", 300)
	for _, parts := range [][]string{{"tok", "10.0.0.1", "ch1", "hls"}, {"", "", ""}, {long, "1.2.3.4", long}, {}} {
		if got, w := derivedID("auto", parts...), want("auto", parts...); got != w {
			t.Errorf("derivedID(%q) = %q, want %q", parts, got, w)
		}
	}
}
