package subscriberview

import (
	"context"
	"iter"
	"slices"
	"time"

	"canale/server/internal/playlist"
)

// Guide gives programme data. The EPG import (another package) provides the
// real one; the surfaces ask only this.
type Guide interface {
	// Programmes yields the programmes of the given XMLTV channel ids
	// (playlist.TVGID of each channel) that overlap [from, to), by channel
	// in the order of ids, then by start.
	Programmes(ctx context.Context, ids []string, from, to time.Time) iter.Seq2[playlist.Programme, error]
}

// MemGuide is a Guide over a fixed list of programmes, for tests, benchmarks
// and as the empty guide until an EPG source is wired.
type MemGuide []playlist.Programme

// Programmes implements Guide.
func (g MemGuide) Programmes(_ context.Context, ids []string, from, to time.Time) iter.Seq2[playlist.Programme, error] {
	return func(yield func(playlist.Programme, error) bool) {
		for _, id := range ids {
			var ps []playlist.Programme
			for _, p := range g {
				if p.Channel == id && p.Stop.After(from) && p.Start.Before(to) {
					ps = append(ps, p)
				}
			}
			slices.SortFunc(ps, func(a, b playlist.Programme) int { return a.Start.Compare(b.Start) })
			for _, p := range ps {
				if !yield(p, nil) {
					return
				}
			}
		}
	}
}

// NowNext returns, per id, the programme on at now and the one after it,
// reading the guide over the next hours only.
func NowNext(ctx context.Context, g Guide, ids []string, now time.Time) (map[string][]playlist.Programme, error) {
	out := make(map[string][]playlist.Programme, len(ids))
	for p, err := range g.Programmes(ctx, ids, now, now.Add(12*time.Hour)) {
		if err != nil {
			return out, err
		}
		if len(out[p.Channel]) < 2 {
			out[p.Channel] = append(out[p.Channel], p)
		}
	}
	return out, nil
}
