package subscriberview

import (
	"context"
	"errors"
	"iter"
	"time"

	"canale/server/internal/playlist"
	"canale/shared/api"
)

// ProgrammeStore streams imported programmes; *store.Store implements it.
type ProgrammeStore interface {
	FindProgrammes(ctx context.Context, epgIDs []string, from, to time.Time, fn func(api.EPGProgramme) error) error
}

// StoreGuide is the Guide of the imported EPG sources. It streams rows from
// the database to the writer, so a week of guide for thousands of channels is
// never held in memory.
type StoreGuide struct{ Store ProgrammeStore }

// errStopped ends the query when the consumer stops ranging.
var errStopped = errors.New("guide: consumer stopped")

// Programmes implements Guide.
func (g StoreGuide) Programmes(ctx context.Context, ids []string, from, to time.Time) iter.Seq2[playlist.Programme, error] {
	return func(yield func(playlist.Programme, error) bool) {
		err := g.Store.FindProgrammes(ctx, ids, from, to, func(p api.EPGProgramme) error {
			if !yield(programmeOf(p), nil) {
				return errStopped
			}
			return nil
		})
		if err != nil && !errors.Is(err, errStopped) {
			yield(playlist.Programme{}, err)
		}
	}
}

func programmeOf(p api.EPGProgramme) playlist.Programme {
	out := playlist.Programme{Channel: p.ChannelEPGID, Start: p.Start, Stop: p.Stop, Title: p.Title,
		SubTitle: p.SubTitle, Desc: p.Description, Categories: p.Categories, IconURL: p.Icon, Lang: p.Lang}
	if p.EpisodeSystem == "xmltv_ns" {
		out.EpisodeNum = p.Episode
	}
	return out
}
