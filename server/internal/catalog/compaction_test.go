package catalog

import (
	"log/slog"
	"testing"
)

// TestCompactionAfterManyRefreshes checks that replaced records, which a
// refresh leaves behind in the packed store, are counted and make the
// model due for a rebuild once they outnumber the live ones.
func TestCompactionAfterManyRefreshes(t *testing.T) {
	c := New(nil, slog.New(slog.DiscardHandler), Options{})
	x := c.subs.Load()
	for id := int64(1); id <= 10; id++ {
		x.put(sampleSubscriber(id))
	}
	x.remove(10)
	if got := x.dead.Load(); got != 1 {
		t.Fatalf("dead records after one removal: got %d, want 1", got)
	}
	for range minCompaction - 2 {
		x.put(sampleSubscriber(1))
	}
	if c.needsCompaction() {
		t.Fatalf("due for compaction at %d dead records, below %d", x.dead.Load(), minCompaction)
	}
	x.put(sampleSubscriber(1))
	if !c.needsCompaction() {
		t.Fatalf("not due for compaction at %d dead records over %d live", x.dead.Load(), x.count())
	}
}
