package fleet

import (
	"slices"
	"strings"

	"canale/shared/api"
)

// vodEdges returns the streamers of the VOD storage whose location prefix
// starts name (settings.data.vod_storages), and ok when there is one. A
// file in a VOD location has no stream state to report, so a streamer that
// is up counts as serving it.
func vodEdges(v *view, snap Fleet, name string) ([]Edge, bool) {
	sto, ok := api.VODStorageOf(v.cat.Settings.VODStorages, name)
	if !ok {
		return nil, false
	}
	var edges []Edge
	for _, s := range v.cat.Streamers {
		if !slices.Contains(sto.Streamers, s.Name) {
			continue
		}
		e := edgeOf(s, snap.Streamers[idString(s.ID)], name)
		e.StreamHealthy = true
		edges = append(edges, e)
	}
	return edges, true
}

// VODFile reports whether path names a file in a configured VOD storage:
// the balancer then redirects it whole (progressive download with ranges),
// though it carries none of the live playback tails.
func (m *Manager) VODFile(path string) bool {
	v := m.view.Load()
	if v.cat == nil {
		return false
	}
	_, ok := api.VODStorageOf(v.cat.Settings.VODStorages, path)
	return ok && api.ValidVODPath(strings.TrimPrefix(path, "/"))
}
