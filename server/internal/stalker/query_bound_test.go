package stalker

import (
	"strings"
	"testing"
)

// TestQueryDecodeIsBounded: a portal call's query is decoded before any
// check of its caller, so what decoding it costs must not grow with what
// the caller sends: a 60 KiB query of 15,000 parameters allocates a few
// KiB, not megabytes, and the parameters a box sends up front still read.
func TestQueryDecodeIsBounded(t *testing.T) {
	raw := "type=itv&action=get_genres&" + strings.Repeat("x=1&", 15000)
	var room [12]queryPair
	var got []queryPair
	res := testing.Benchmark(func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			got = appendQuery(room[:0], raw)
		}
	})
	if n := res.AllocedBytesPerOp(); n > 8<<10 {
		t.Errorf("decoding a %d-byte query of 15,002 parameters allocated %d bytes, want at most 8 KiB", len(raw), n)
	}
	if len(got) < 2 || got[0] != (queryPair{key: "type", value: "itv"}) || got[1] != (queryPair{key: "action", value: "get_genres"}) {
		t.Errorf("decoded %v..., want type and action first", got[:min(len(got), 3)])
	}
}
