// Package api is Canale's domain: the types every other package speaks, their
// validation, the coded errors and the event envelope. It imports only the
// standard library so the server, the desktop app and billing integrations can
// all share it without dragging in a database driver or a GUI toolkit.
package api
