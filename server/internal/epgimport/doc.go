// Package epgimport keeps the guides of the EPG sources fresh: it downloads
// each enabled source on its schedule, or when staff ask, and streams it
// through the XMLTV parser (package epg) into the store, which swaps the new
// guide in only when the whole file has arrived intact.
//
// One import per source runs at a time; each one's progress (bytes read of
// the announced size, items parsed) can be read while it runs and is
// published as api.EventEPGProgress events, its outcome as api.EventEPGDone
// and on the source itself (last_run_at, last_result, counts).
package epgimport
