package simulator

// dashManifest is a minimal MPD; players will not find media in it, but it
// is well-formed and enough to exercise authorization.
func dashManifest(pr playRequest) string {
	typ := "dynamic"
	if pr.ended {
		typ = "static"
	}
	return `<?xml version="1.0" encoding="UTF-8"?>
<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="` + typ + `" profiles="urn:mpeg:dash:profile:isoff-live:2011" minBufferTime="PT2S" availabilityStartTime="1970-01-01T00:00:00Z">
<Period id="0" start="PT0S"/>
</MPD>
`
}
