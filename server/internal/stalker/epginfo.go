package stalker

import (
	"strconv"
	"time"

	"canale/server/internal/subscriberview"
)

// epgInfoHours is get_epg_info's period when a box sends none (Ministra's
// default), maxEPGInfoHours the most one call answers: the answer holds
// every channel of the line-up, so a day of a 5,000-channel package is
// already large. Kodi's pvr.stalker asks for its whole guide window (four
// days by default) and reloads as its guide cache expires (a day).
const (
	epgInfoHours    = 3
	maxEPGInfoHours = 24
)

// getEPGInfo is the guide of every channel of the line-up at once, the
// programmes overlapping the next period hours keyed by channel id, as
// Ministra answers itv/get_epg_info: {"data":{"<ch_id>":[programme…]}}.
// Kodi's pvr.stalker builds its whole guide from this call alone.
func (a *API) getEPGInfo(q *request, s *session) (any, error) {
	ids := make([]string, 0, len(s.lineup.Channels))
	byGuideID := make(map[string][]*subscriberview.Channel, len(s.lineup.Channels))
	for i := range s.lineup.Channels {
		ch := &s.lineup.Channels[i]
		id := guideID(*ch)
		if byGuideID[id] == nil {
			ids = append(ids, id)
		}
		byGuideID[id] = append(byGuideID[id], ch)
	}
	data := map[string][]any{}
	loc := zone(q)
	for p, err := range a.deps.Guide.Programmes(q.c, ids, q.now, q.now.Add(epgInfoPeriod(q.param("period")))) {
		if err != nil {
			return nil, err
		}
		for _, ch := range byGuideID[p.Channel] {
			key := strconv.FormatInt(ch.ID, 10)
			data[key] = append(data[key], programmeItem(q, *ch, p, loc))
		}
	}
	return map[string]any{"data": data}, nil
}

// epgInfoPeriod is how far ahead get_epg_info answers for its period
// parameter (hours).
func epgInfoPeriod(param string) time.Duration {
	hours, err := strconv.Atoi(param)
	if err != nil || hours <= 0 {
		hours = epgInfoHours
	}
	return time.Duration(min(hours, maxEPGInfoHours)) * time.Hour
}
