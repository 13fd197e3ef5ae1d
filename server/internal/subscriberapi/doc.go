// Package subscriberapi serves each subscriber's playlists and guide at URLs
// that carry their playback token, for players that take a URL (Kodi, VLC,
// TiviMate in M3U mode):
//
//	GET /playlist/{token}.m3u8        M3U whose channels play over HLS
//	GET /playlist/{token}/ts.m3u      M3U whose channels play over HTTP MPEG-TS
//	GET /epg/{token}.xml              XMLTV of the subscriber's channels
//	GET /epg/{token}.xml.gz           the same, gzip-compressed as a file
//
// The playlist URLs take ?player=kodi (default), generic (TiviMate, OTT
// Navigator) or vlc, which pick the catch-up attributes each reads. Stream
// URLs point at Canale's balancer (<external_url>/{channel}/index.m3u8?token=…
// or /mpegts?token=…), so resetting the token retires every copied URL.
//
// Playlists carry an ETag and answer If-None-Match with 304, and are gzipped
// when the client accepts it. An unknown token answers 404, a disabled or
// expired account 403, each with a one-line text body saying so.
package subscriberapi
