package playauth

import (
	"math"
	"strconv"
	"testing"
)

// TestUserHeaders: the two values share one buffer and read back as the
// numbers they were made from, at the widest and the narrowest.
func TestUserHeaders(t *testing.T) {
	for _, c := range []struct {
		id  int64
		max int
	}{{1, 0}, {42, 3}, {math.MaxInt64, math.MaxInt64}, {math.MinInt64, math.MinInt64}} {
		id, max := new(userHeaders).set(c.id, c.max)
		if len(id) != 1 || id[0] != strconv.FormatInt(c.id, 10) || len(max) != 1 || max[0] != strconv.Itoa(c.max) {
			t.Errorf("set(%d, %d) = %q, %q", c.id, c.max, id, max)
		}
	}
}
