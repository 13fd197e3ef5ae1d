// Package flussonic is a client of the HTTP API of a Flussonic Media Server
// ("streamer"), as Canale polls it for stream health and server load.
//
// It speaks /streamer/api/v3 (cursor paging, select= projection, Basic or
// Bearer credentials) and falls back to the legacy /flussonic/api/* endpoints
// when a streamer answers 404 to v3. Decoding is tolerant: unknown keys are
// ignored, older field names (client_count, a boolean running, numbers sent
// as strings) are accepted, and the result is normalised into plain structs
// (Stream, ServerStats) that do not change with the streamer's version.
//
// Errors carry a kind that callers test with errors.Is: ErrTimeout,
// ErrUnreachable, ErrUnauthorized, ErrNotFound, ErrServer, ErrBadResponse.
package flussonic
