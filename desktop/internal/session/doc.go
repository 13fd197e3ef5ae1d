// Package session is the desktop app's connection to one Canale server: the
// server URL, sign-in and sign-out, the token (kept in memory only), the
// signed-in admin, the API version check, the event stream with reconnect
// and backoff, the remembered servers, and certificate trust, including an
// explicit fingerprint pin for self-signed servers.
//
// It has no Fyne imports: the UI registers plain callbacks (OnState,
// OnEvent) and the preferences hide behind the Preferences interface, so the
// package is tested against a real server without a display.
package session
