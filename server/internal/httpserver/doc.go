// Package httpserver builds the Gin engine that every surface (admin API,
// streamer endpoints, portal, playlists, Xtream API) is mounted on: request
// IDs, a slog access log, recovery, Prometheus metrics, the health endpoints,
// and the http.Server with timeouts that suit long responses.
package httpserver
