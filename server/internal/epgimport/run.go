package epgimport

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"canale/server/internal/epg"
	"canale/server/internal/netguard"
	"canale/server/internal/store"
	"canale/shared/api"
)

// run is the state of one import, read by Progress from other goroutines.
type run struct {
	sourceID   int64
	started    time.Time
	download   atomic.Pointer[epg.Download]
	programmes atomic.Int64
	channels   atomic.Int64

	mu        sync.Mutex
	lastEvent time.Time
}

func (r *run) progress() api.EPGProgress {
	p := api.EPGProgress{SourceID: r.sourceID, StartedAt: r.started, BytesTotal: -1,
		Programmes: int(r.programmes.Load()), Channels: int(r.channels.Load())}
	if dl := r.download.Load(); dl != nil {
		p.BytesRead, p.BytesTotal = dl.BytesRead(), dl.Size()
	}
	return p
}

// importSource downloads source id into the store, records the outcome on the
// source and publishes it. A run cut short by ctx (the server stopping) is
// not recorded, so the source is due again at the next start.
func (im *Importer) importSource(ctx context.Context, id int64, r *run) (api.EPGDone, error) {
	log := im.cfg.Logger.With("epg_source_id", id)
	im.publish(api.EventEPGProgress, r.progress())
	began := time.Now()
	counts, st, err := im.fetchAndStore(ctx, id, r)
	done := api.EPGDone{SourceID: id, Result: api.EPGResultOK, Programmes: counts.Programmes, Channels: counts.Channels,
		Warnings: st.Warnings, Bytes: st.Bytes, DurationMS: time.Since(began).Milliseconds()}
	switch {
	case err != nil && ctx.Err() != nil:
		log.InfoContext(ctx, "epg import stopped", "error", err)
		return done, err
	case api.ErrorCode(err) == api.CodeConflict || api.ErrorCode(err) == api.CodeNotFound:
		log.InfoContext(ctx, "epg import skipped", "error", err) // another instance has it, or it is gone
		return done, err
	case err != nil:
		done.Result, done.Error = api.EPGResultError, err.Error()
		log.WarnContext(ctx, "epg import failed", "error", err, "bytes", st.Bytes)
	default:
		log.InfoContext(ctx, "epg import done", "programmes", counts.Programmes, "channels", counts.Channels,
			"dropped", counts.Dropped, "warnings", st.Warnings, "bytes", st.Bytes, "duration_ms", done.DurationMS)
	}
	for _, w := range st.Samples {
		log.DebugContext(ctx, "epg item skipped", "line", w.Line, "reason", w.Msg)
	}
	rec := store.EPGRun{At: r.started, Result: done.Result, Error: done.Error, Counts: counts, Warnings: st.Warnings,
		Bytes: st.Bytes, Duration: time.Since(began)}
	if recErr := im.cfg.Store.RecordEPGRun(ctx, id, rec); recErr != nil {
		log.WarnContext(ctx, "record epg import", "error", recErr)
	}
	im.publish(api.EventEPGDone, done)
	return done, err
}

// fetchAndStore streams the source's guide from its URL through the parser
// into the store, counting as it goes.
func (im *Importer) fetchAndStore(ctx context.Context, id int64, r *run) (store.GuideCounts, epg.Stats, error) {
	src, err := im.cfg.Store.FindEPGSourceByID(ctx, id)
	if err != nil {
		return store.GuideCounts{}, epg.Stats{}, err
	}
	var st epg.Stats
	guide := func(yield func(store.GuideItem) error) error {
		client := netguard.Client(src.AllowPrivateNetwork)
		defer client.CloseIdleConnections() // a client per import: leave no connection behind
		dl, err := epg.Fetch(ctx, client, src.URL)
		if errors.Is(err, netguard.ErrBlocked) {
			return fmt.Errorf("epg source %q: %w (set allow_private_network on the source to permit it)", src.Name, err)
		}
		if err != nil {
			return fmt.Errorf("epg source %q: %w", src.Name, err)
		}
		defer dl.Close()
		r.download.Store(dl)
		p := epg.Parser{Progress: func(int64) { im.maybePublishProgress(r) }}
		st, err = p.Parse(ctx, dl, func(it epg.Item) error { return yield(r.convert(it)) })
		if err != nil {
			return fmt.Errorf("epg source %q: %w", src.Name, err)
		}
		return nil
	}
	counts, err := im.cfg.Store.ReplaceGuide(ctx, id, guide)
	return counts, st, err
}

func (im *Importer) maybePublishProgress(r *run) {
	r.mu.Lock()
	now := time.Now()
	send := now.Sub(r.lastEvent) >= progressEvery
	if send {
		r.lastEvent = now
	}
	r.mu.Unlock()
	if send {
		im.publish(api.EventEPGProgress, r.progress())
	}
}

// convert turns a parsed item into a store item, counting it.
func (r *run) convert(it epg.Item) store.GuideItem {
	if c := it.Channel; c != nil {
		r.channels.Add(1)
		return store.GuideItem{Channel: &api.EPGChannel{SourceID: r.sourceID, EPGID: c.ID,
			DisplayNames: c.DisplayNames, Icon: c.IconURL}}
	}
	p := it.Programme
	r.programmes.Add(1)
	out := &api.EPGProgramme{SourceID: r.sourceID, ChannelEPGID: p.Channel, Start: p.Start, Stop: p.Stop,
		Title: p.Title, SubTitle: p.SubTitle, Description: p.Desc, Categories: p.Categories, Icon: p.IconURL, Lang: p.Lang}
	out.EpisodeSystem, out.Episode = episode(p.EpisodeNums)
	return store.GuideItem{Programme: out}
}

// episode picks the xmltv_ns numbering, which players parse, else the first.
func episode(nums []epg.EpisodeNum) (system, value string) {
	for _, n := range nums {
		if n.System == "xmltv_ns" {
			return n.System, n.Value
		}
	}
	if len(nums) > 0 {
		return nums[0].System, nums[0].Value
	}
	return "", ""
}
