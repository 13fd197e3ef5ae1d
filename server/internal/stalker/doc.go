// Package stalker is the Stalker/Ministra portal API that Infomir MAG
// set-top boxes and apps in "MAC mode" (STB Emulator, OTT Navigator,
// Smarters, stalkerhek, MacReplay) speak: handshake and profile by MAC,
// genres, channel lists, create_link, EPG, catch-up, account info and the
// watchdog, after specs/stalker.md.
//
// A device (store.PortalDevice) belongs to one subscriber and watches that
// subscriber's line-up from the read model, as the Xtream API does. Stream
// links are never the subscriber's long-lived token: create_link mints a
// short, address-bound token (playauth.MintLink) that the streamer's auth
// call resolves through the normal play authorization, so packages,
// expiry, bans and the session limit apply exactly as for every player.
//
// Boxes identify themselves by MAC alone, so bots walk MAC ranges: profiles
// of unknown MACs are counted per address (IPv6 per /64) and an address
// past the threshold is refused outright, with an alert (scan.go).
package stalker
