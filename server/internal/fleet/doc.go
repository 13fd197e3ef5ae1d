// Package fleet watches Canale's streamers. This part is the health
// poller: it polls every streamer's Flussonic API concurrently, each on its
// own interval with a timeout and exponential backoff, keeps the current
// health model in memory (readable without locks through copy-on-write
// snapshots) with an hour of history for charts, and publishes transitions
// (streamer up/down, stream up/down, input errors) exactly once each.
//
// It does not touch storage: targets come in through SetTargets and events
// leave through the Publisher the caller injects.
package fleet
