// Package xtream serves the Xtream-Codes-compatible client API that TiviMate,
// IPTV Smarters, OTT Navigator and most IPTV apps speak (specs/xtream.md §1):
//
//	GET|POST /player_api.php          account info and the catalog actions
//	GET|POST /get.php                 M3U playlist (type=m3u|m3u_plus) or Enigma2 bouquet
//	                                  (type=enigma16|gigablue|dreambox) or its install script
//	                                  (type=enigma22_script|enigma216_script), output=ts|m3u8|hls,
//	                                  key=live,movie,series
//	GET|POST /xmltv.php               XMLTV guide of the subscriber's channels
//	GET      /live/U/P/ID.ts|.m3u8    302 to the balancer URL of the channel
//	GET      /movie/U/P/ID.EXT        302 to the VOD stream
//	GET      /timeshift/U/P/MIN/START/ID.ts|.m3u8, /timeshift.php, /streaming/timeshift.php
//	                                  302 to the channel's archive window, 404 past its DVR depth
//
// Credentials come as username and password in the query, a form body, or
// the path. A failed login answers player_api.php with HTTP 200 and exactly
// {"user_info":{"auth":0}}, the same bytes for an unknown user and a wrong
// password, as clients expect. XC's quirks (numbers as strings, base64 EPG
// texts, the layout of stream lists) live in this package's wire types.
//
// Times are UTC and server_info says so. Ids are Canale's database ids; the
// XC importer keeps imported ids, so existing favourites keep working. The
// legacy /U/P/ID form is not served: the balancer owns /{channel}/… paths.
package xtream
