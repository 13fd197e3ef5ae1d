// Package catalog is the in-memory read model every hot path reads: play
// authorization now, and the balancer, playlists and the Xtream API. It holds
// subscribers (by token, id and login), channels, packages, resellers, VOD,
// categories, streamers and settings, so those paths never query PostgreSQL
// and keep answering while it is briefly away.
//
// The model is loaded in bulk at start (subscribers are streamed row by row
// into packed records the garbage collector does not scan; see packed.go),
// then kept current from api.Change events: a
// subscriber change reloads that one row and replaces its entries in a
// sharded index (a million-entry map is never copied); a change of a small
// table (channels, packages, resellers, VOD, categories, streamers, settings)
// reloads all of them in one snapshot and swaps a pointer; a reset rebuilds
// everything in the background and swaps it in. A periodic reconcile is the
// safety net (reconcile.go): it compares every subscriber's version with the
// database's and reads again only those that differ. When PostgreSQL cannot
// be reached the last model keeps serving and the load is retried.
//
// Readers take at most one shard's read lock for a map lookup and get a
// *Subscriber built for them from the packed record; values are immutable
// once published, so callers may keep and read them freely but must not
// modify them (package lists and rules are shared).
package catalog
