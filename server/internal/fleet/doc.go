// Package fleet runs Canale's streamers.
//
// The Poller polls every streamer's Flussonic API concurrently, each on its
// own interval with a timeout and exponential backoff, keeps the current
// health model in memory (readable without locks through copy-on-write
// snapshots) with an hour of history for charts, and publishes transitions
// (streamer up/down, stream up/down, input errors) exactly once each. It
// does not touch storage: targets come in through SetTargets and events
// leave through the Publisher the caller injects.
//
// The Manager wires the Poller to the catalog: it loads the enabled
// streamers, pipelines and channels (Catalog; *store.Store is one), keeps
// the Poller's targets in step, places each channel on the streamers of
// each pipeline step (see place for the rule that keeps channels from
// flapping), persists those choices, moves channels off streamers that
// fail, and publishes every transition and move as an api.Event. From the
// resulting in-memory view it answers config_external (StreamsFor), the
// balancer (Edges) and the admin API (Fleet, Placements, histories).
package fleet
