// Package portal is the customer portal at "/": subscribers sign in with
// their login and password, browse and play their channels (hls.js, through
// the balancer URL with their token), copy their playlist links and Xtream
// login, read their account, and reset their playback token.
//
// Pages are server-rendered html/template with embedded assets; the only
// scripts are the embedded hls.js (1.5.20, Apache-2.0, static/hls.js.*) and
// static/player.js, and a Content-Security-Policy allows nothing else.
//
// Sessions are server-side (table portal_sessions, migration 009): the
// cookie holds a random token, the database only its SHA-256, so signing out
// or a leak of the table cannot be replayed, and the account page can list
// signed-in browsers. The cookie is HttpOnly, SameSite=Lax, and Secure when
// the request came over HTTPS (directly or per a trusted proxy's
// X-Forwarded-Proto, see CANALE_TRUSTED_PROXIES).
//
// Every form carries a CSRF synchronizer token: the session's own token for
// signed-in forms, and a double-submit cookie for the sign-in form, which has
// no session yet. A POST without the right token is refused with 403.
// Failed sign-ins are rate-limited per login and per client IP.
package portal
