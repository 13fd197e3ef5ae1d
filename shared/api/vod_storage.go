package api

import "strings"

// VODStorage maps a Flussonic VOD location to the streamers that serve it.
// Movies and episodes name their file as "<prefix>/<path in the storage>"
// (stream_name "vod/films/night-train.mkv"); the balancer sends players of
// such a path to one of Streamers (names), which must all mount the same
// storage under the location Prefix. Set in settings.data.vod_storages.
type VODStorage struct {
	Prefix    string   `json:"prefix"`
	Streamers []string `json:"streamers"`
}

// VODStorageOf returns the storage whose prefix is the first segment of
// path (with or without a leading slash).
func VODStorageOf(storages []VODStorage, path string) (VODStorage, bool) {
	first, _, ok := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	if !ok || first == "" {
		return VODStorage{}, false
	}
	for _, s := range storages {
		if s.Prefix == first {
			return s, true
		}
	}
	return VODStorage{}, false
}

// validateVODStorages checks each storage's prefix (a Flussonic location
// name, unique) and that it names at least one streamer.
func validateVODStorages(f FieldErrors, storages []VODStorage) {
	seen := map[string]bool{}
	for _, s := range storages {
		switch {
		case !ValidStreamName(s.Prefix):
			f.Add("vod_storages", "each prefix must be a location name of a-z, A-Z, 0-9, _ and -")
		case seen[s.Prefix]:
			f.Add("vod_storages", "prefix "+s.Prefix+" is listed twice")
		case len(s.Streamers) == 0:
			f.Add("vod_storages", "prefix "+s.Prefix+" names no streamer")
		}
		seen[s.Prefix] = true
	}
}
