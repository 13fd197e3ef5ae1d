// Package playauth is the play-authorization backend of the streamers and
// the cluster-wide session limiter (restreaming protection).
//
// Surfaces (all under a per-installation secret, settings.streamer_secret;
// any other secret is answered 404):
//
//	GET  /flussonic/{secret}/auth        Flussonic auth/on_play: query parameters
//	POST /flussonic/{secret}/auth        Flussonic on_publish: JSON body (a form body is accepted too)
//	GET|POST /flussonic/{secret}/on_play, /on_publish   the same, with the kind named by the path
//	GET  /nginx/{secret}/auth            nginx auth_request: X-Original-URI, X-Real-IP
//	POST /nginx/{secret}/on_play         nginx-rtmp on_play (form: name, addr, token, clientid)
//	POST /nginx/{secret}/on_publish      nginx-rtmp on_publish (form: name, addr, key or token)
//	POST /nginx/{secret}/on_update       nginx-rtmp on_update: players checked again, publishers let be
//	POST /nginx/{secret}/on_play_done, /on_done   nginx-rtmp: the player left, its session ends
//
// Every answer is 200 (allowed; X-AuthDuration, X-UserId, X-Max-Sessions and,
// for archive playback, an allowed_dvr_ranges body) or 403 with
// {"errors":[{"status":"403","code":REASON,"title":...}]} (specs/flussonic.md
// §1.5). REASON is one of the Reason constants.
//
// The decision reads only the catalog read model. Sessions are identified by
// the streamer's session_id; nginx sends none, so Canale derives one per
// (token, client IP, stream) for HLS and per RTMP connection for on_play. A
// session id seen for the first time is admitted under the subscriber's
// max_sessions across every streamer and every Canale instance: a
// per-subscriber advisory lock in PostgreSQL, a count of live rows in
// play_sessions, and the insert of the new row, in one transaction. Known
// sessions are answered from memory, and their state is written in batches
// about once a second. A session stays live for SessionTTLFactor auth
// durations after its last check.
//
// When PostgreSQL is away, decisions go on from the read model; admission
// falls back to the sessions this instance knows (so the limit holds per
// instance, not across instances, until the database returns), and session
// writes wait in a bounded queue to be replayed.
//
// Publishing is allowed when the stream is an enabled channel and the
// publisher presents settings.data.publish_key (as token, as key=, or in qs);
// with no publish key set every publish is refused (publish_not_allowed).
package playauth
