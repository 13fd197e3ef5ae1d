// Package epg imports XMLTV guides from operators' sources.
//
// Guides are large (tens to hundreds of megabytes, often gzipped), so Parse streams: it
// reads token by token and hands each channel and programme to a callback as soon as it is
// complete, holding no more than one element in memory. A programme it cannot use is
// counted as a warning and skipped; a file that is cut short or not XML is an error, so
// the caller can keep the guide it already has instead of replacing it with half a guide.
package epg
