// Package subscriberview answers the questions the subscriber-facing surfaces
// (portal, playlists, Xtream API) ask: who is this login or token, what may
// they watch, and it resets a playback token. Its types are the vocabulary of
// those surfaces' interfaces.
//
// CatalogDirectory answers from the in-memory read model (package catalog),
// so the players' hot paths never query PostgreSQL; only the token reset
// writes, through the store. Static is a fixed in-memory implementation for
// tests and benchmarks. Authenticator checks passwords with a short-lived cache of
// successful verifications, because Xtream clients send the password on
// every request and argon2id costs ~20 ms.
package subscriberview
