// Package playlist writes the wire formats subscribers' players read: the extended M3U
// playlist and the XMLTV guide, following specs/kodi-m3u.md, and parses extended M3U back
// (for round-trip tests and for importing channels from a provider's playlist).
//
// The writers stream to an io.Writer and never build the whole document in memory, so a
// playlist for thousands of channels costs a small, fixed buffer per request. They take
// plain input types defined here, so the package depends on neither the database nor the
// read model; the HTTP surfaces convert their data into Channel and Programme values.
//
// Every value is sanitised for the strictest reader of each format: pvr.iptvsimple's
// substring attribute search and VLC's split on the first comma for M3U, and byte-0
// `<?xml` plus numeric time zones for XMLTV. The sanitising lives in TVGID, DisplayName
// and friends so that the M3U and the XMLTV always agree on ids and names.
package playlist
