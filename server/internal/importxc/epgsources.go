package importxc

import (
	"context"
	"fmt"
	"strings"

	"canale/shared/api"
)

// epgTable is XC's and XUI's list of XMLTV guides (spec xtream.md §2.2).
const epgTable = "epg"

// importEPGSources adds the panel's XMLTV guides as EPG sources, enabled
// and fetched daily, keeping days_keep. Channels already carry their
// XMLTV id (streams.channel_id → epg_channel_id), which is how Canale
// finds a channel's programmes in any source, so streams.epg_id needs no
// mapping; channels whose guide came from a source that was not imported
// are counted. A source Canale already has (same name or URL) is skipped.
func (im *importer) importEPGSources(ctx context.Context) error {
	rows, err := im.src.read(ctx, epgTable, "id")
	if err != nil {
		return err
	}
	byName, byURL, err := im.ci.EPGSourceNames(ctx)
	if err != nil {
		return err
	}
	imported, rowName := map[int64]bool{}, map[string]int64{}
	var out []api.EPGSource
	for _, r := range rows {
		id := r.int("id")
		s := api.EPGSource{Name: r.str("epg_name"), URL: unescapePHP(r.str("epg_file")), Enabled: true, IntervalHours: 24,
			DaysKeep: int(max(min(r.int("days_keep"), 365), 0))}
		if !r.has("days_keep") {
			s.DaysKeep = 7
		}
		if s.Name == "" {
			s.Name = fmt.Sprintf("XC EPG %d", id)
		}
		if err := s.Validate(); err != nil {
			im.rep.skip(epgTable, id, err.Error())
			continue
		}
		if other, ok := rowName[strings.ToLower(s.Name)]; ok {
			im.rep.skip(epgTable, id, fmt.Sprintf("name %q already taken by epg row %d", s.Name, other))
			continue
		}
		if other, ok := byName[strings.ToLower(s.Name)]; ok {
			im.rep.skip(epgTable, id, fmt.Sprintf("name %q already taken by Canale EPG source %d", s.Name, other))
			continue
		}
		if other, ok := byURL[s.URL]; ok {
			im.rep.skip(epgTable, id, fmt.Sprintf("Canale EPG source %d already fetches %s", other, s.URL))
			imported[id] = true // its guide is there all the same
			continue
		}
		rowName[strings.ToLower(s.Name)] = id
		imported[id] = true
		out = append(out, s)
	}
	orphans := 0
	for id, epgID := range im.channelEPG {
		if im.channels[id] && epgID > 0 && !imported[epgID] {
			orphans++
		}
	}
	if orphans > 0 {
		im.rep.note("%d channels took their guide from an XC EPG source that was not imported; add a source carrying their XMLTV ids", orphans)
	}
	im.rep.Imported["epg_sources"] = len(out)
	return im.ci.EPGSources(ctx, out)
}
