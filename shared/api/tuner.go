package api

// Tuner is one of a subscriber's virtual HDHomeRun tuners as a media server
// (Plex, Jellyfin, Emby, Channels DVR) adds it: the whole line-up, or one of
// the subscriber's packages alone. The admin API lists them with the
// subscriber so billing systems and the desktop never build tuner paths or
// DeviceIDs themselves.
type Tuner struct {
	// PackageID is the package this tuner carries alone; nil for the
	// tuner of the whole line-up (the subscriber's TunerURL).
	PackageID *int64 `json:"package_id"`
	// URL is the tuner's base URL, the address typed into a media server.
	// It carries the tuner token, so it is a secret like TunerURL.
	URL string `json:"url,omitempty"`
	// DeviceID is what the tuner's discover.json and LAN discovery call it
	// (eight hex digits), so staff can tell which device a media server
	// shows.
	DeviceID string `json:"device_id"`
}
