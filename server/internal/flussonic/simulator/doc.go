// Package simulator is a stand-in Flussonic Media Server for tests and for
// the `canale demo` mode. It is built from specs/flussonic.md, not from
// Canale's own client, so tests against it check Canale against the spec.
//
// A Simulator serves:
//   - the v3 API (/streamer/api/v3 and the /flussonic/api/v3 alias) with
//     Basic/Bearer credentials, select=, limit= and next cursors: streams,
//     one stream, dvr ranges, config/stats, sessions, DELETE session,
//     sessions/reauth, monitoring probes;
//   - the legacy /flussonic/api/server, /media and /sessions;
//   - player URLs (HLS, DASH, HTTP MPEG-TS, and the DVR, catch-up and
//     timeshift forms) that it authorizes against each stream's on_play URL
//     exactly as a streamer does: GET with name, proto, ip, token,
//     session_id, request_type and the rest, honouring 200/403/302,
//     X-AuthDuration caching, X-UserId/X-Max-Sessions and allowed_dvr_ranges;
//     HLS and MPEG-TS answers are real H.264/AAC media (a looped test stream,
//     media.go) with the CORS headers a browser player needs, and DVR forms
//     stay within the depth config_external gives a stream;
//   - files of VOD locations (Options.VODLocations) as an embedded MP4,
//     progressive with ranges or as HLS (vod.go);
//   - its stream list pulled from a config_external backend.
//
// Faults are injected at run time: Die and Revive, SetLag, SetFailure.
package simulator
