package playauth

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"canale/server/internal/store"
	"canale/shared/api"
)

// RefusalStore records refused plays; *store.Store is one.
type RefusalStore interface {
	InsertPlayRefusals(ctx context.Context, ws []store.PlayRefusalWrite) error
	PrunePlayRefusals(ctx context.Context, before time.Time) (int64, error)
	FindPlayRefusals(ctx context.Context, f api.PlayRefusalFilter, p api.ListParams) (api.Page[api.PlayRefusal], error)
}

// RefusalKeep is how long refused plays are kept.
const RefusalKeep = 24 * time.Hour

// refusalLog records refused plays without slowing the check that refused
// them: record is a non-blocking send on a bounded channel, and a
// background writer inserts what it holds in batches. When the channel is
// full (the database is slow or away, or a refused restreamer hammers us)
// a refusal is dropped and counted, never waited for.
type refusalLog struct {
	store   RefusalStore
	log     *slog.Logger
	queue   chan store.PlayRefusalWrite
	dropped atomic.Int64
}

func newRefusalLog(s RefusalStore, log *slog.Logger, size int) *refusalLog {
	return &refusalLog{store: s, log: log, queue: make(chan store.PlayRefusalWrite, size)}
}

// record queues w, or drops and counts it when the queue is full.
func (l *refusalLog) record(w store.PlayRefusalWrite) {
	select {
	case l.queue <- w:
	default:
		l.dropped.Add(1)
	}
}

// run writes queued refusals every interval (or as soon as a batch is
// full) and prunes those older than RefusalKeep once an hour, until ctx is
// done; what is still queued then is written once more.
func (l *refusalLog) run(ctx context.Context, every time.Duration, now func() time.Time) {
	t := time.NewTicker(every)
	defer t.Stop()
	var lastPrune time.Time
	for {
		select {
		case <-ctx.Done():
			fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			l.flush(fctx)
			cancel()
			return
		case <-t.C:
		}
		l.flush(ctx)
		if at := now(); at.Sub(lastPrune) >= time.Hour {
			if _, err := l.store.PrunePlayRefusals(ctx, at.Add(-RefusalKeep)); err != nil && ctx.Err() == nil {
				l.log.Debug("prune play refusals", "error", err)
			} else {
				lastPrune = at
			}
		}
	}
}

// flush writes what is queued now, in batches; a batch the database
// refuses is dropped and counted: refusals are a diagnostic, and holding
// them would only fill the queue sooner.
func (l *refusalLog) flush(ctx context.Context) {
	for {
		batch := l.take(batchSize)
		if len(batch) == 0 {
			return
		}
		if err := l.store.InsertPlayRefusals(ctx, batch); err != nil {
			l.dropped.Add(int64(len(batch)))
			if ctx.Err() == nil {
				l.log.Debug("write play refusals", "error", err, "dropped", len(batch))
			}
			return
		}
	}
}

// take removes up to n of the refusals queued when it is called, without
// waiting: what arrives meanwhile stays for the next batch, so a batch is
// never larger than the queue (the bound the queue's size promises).
func (l *refusalLog) take(n int) []store.PlayRefusalWrite {
	n = min(n, len(l.queue))
	out := make([]store.PlayRefusalWrite, 0, n) // sized once: appending would copy ~200-byte rows at every doubling
	for len(out) < n {
		select {
		case w := <-l.queue:
			out = append(out, w)
		default:
			return out
		}
	}
	return out
}

// recordRefusal queues a refused play check; publish refusals and
// well-formed allowed decisions are not refusals of a viewer.
func (s *Service) recordRefusal(r *Request, d *Decision, now time.Time) {
	if s.refusals == nil || d.Allow || r.Kind != KindPlay {
		return
	}
	w := store.PlayRefusalWrite{At: now, Name: r.Name, StreamerHost: r.Peer, IP: r.IP, UserAgent: r.UserAgent,
		Proto: r.Proto, Reason: string(d.Reason)}
	if d.HasSubscriber {
		w.SubscriberID = d.Subscriber.ID
	}
	if d.Channel != nil {
		w.ChannelID = d.Channel.ID
	}
	if r.Host != "" {
		w.StreamerHost = r.Host
	}
	w.StreamerID = s.streamerID(w.StreamerHost, r.Peer)
	s.refusals.record(w)
}

// RefusalsDropped is how many refusals were not recorded because the
// queue was full or the database refused them.
func (s *Service) RefusalsDropped() int64 {
	if s.refusals == nil {
		return 0
	}
	return s.refusals.dropped.Load()
}

// FlushRefusals writes the queued refusals now; tests use it.
func (s *Service) FlushRefusals(ctx context.Context) {
	if s.refusals != nil {
		s.refusals.flush(ctx)
	}
}

// FindPlayRefusals lists refused plays for the admin API, each reason
// explained in words. It returns CodeUnavailable when refusals are not
// recorded on this instance.
func (s *Service) FindPlayRefusals(ctx context.Context, f api.PlayRefusalFilter, p api.ListParams) (api.Page[api.PlayRefusal], error) {
	if s.refusals == nil {
		return api.Page[api.PlayRefusal]{}, &api.Error{Code: api.CodeUnavailable, Message: "refused plays are not recorded"}
	}
	page, err := s.refusals.store.FindPlayRefusals(ctx, f, p)
	for i := range page.Items {
		page.Items[i].ReasonTitle = Reason(page.Items[i].Reason).Title()
	}
	return page, err
}
