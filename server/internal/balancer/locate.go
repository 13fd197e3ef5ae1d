package balancer

import "net/http"

// Locate answers in-process what a redirect would: the edge URL for a
// player asking for path with rawQuery, or, when there is none, the status
// the redirect handler would have answered (404 for a path that is not
// playback or an unknown channel, 503 when no streamer serves it now).
// Surfaces that relay a stream themselves (the HDHomeRun tuner) use it, so
// they pick edges exactly as players are sent to them.
func (b *Balancer) Locate(path, rawQuery string) (string, int) {
	name, ok := streamName(path)
	if !ok {
		return "", http.StatusNotFound
	}
	edges, known := b.router.Edges(name)
	if e, ok := b.pick(edges); ok {
		return target(e.URL, path, rawQuery), http.StatusFound
	}
	if !known && len(edges) == 0 {
		return "", http.StatusNotFound
	}
	return "", http.StatusServiceUnavailable
}
