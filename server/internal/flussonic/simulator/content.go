package simulator

import (
	"fmt"
	"strings"
)

// segmentSeconds is the length of the simulator's pretend segments.
const segmentSeconds = 2

// mediaPlaylist is a tiny valid HLS media playlist; finite windows end with
// EXT-X-ENDLIST. Segment URIs are relative and carry the player's query so
// segment requests join the same session.
func mediaPlaylist(pr playRequest, now int64, rawQuery string) string {
	var b strings.Builder
	seq := now / segmentSeconds
	if pr.dvr {
		seq = pr.from / segmentSeconds
	}
	fmt.Fprintf(&b, "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:%d\n#EXT-X-MEDIA-SEQUENCE:%d\n", segmentSeconds, seq)
	if pr.ended {
		b.WriteString("#EXT-X-PLAYLIST-TYPE:VOD\n")
	}
	suffix := ""
	if rawQuery != "" {
		suffix = "?" + rawQuery
	}
	for i := range int64(3) {
		fmt.Fprintf(&b, "#EXTINF:%d.000,\ns-%d.ts%s\n", segmentSeconds, seq+i, suffix)
	}
	if pr.ended {
		b.WriteString("#EXT-X-ENDLIST\n")
	}
	return b.String()
}

// dashManifest is a minimal MPD; players will not find media in it, but it
// is well-formed and enough to exercise authorization.
func dashManifest(pr playRequest) string {
	typ := "dynamic"
	if pr.ended {
		typ = "static"
	}
	return `<?xml version="1.0" encoding="UTF-8"?>
<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="` + typ + `" profiles="urn:mpeg:dash:profile:isoff-live:2011" minBufferTime="PT2S" availabilityStartTime="1970-01-01T00:00:00Z">
<Period id="0" start="PT0S"/>
</MPD>
`
}

const tsPacketSize = 188

// tsPackets returns a valid MPEG-TS start: a PAT, a PMT with one H.264
// stream, then n null packets.
func tsPackets(n int) []byte {
	out := make([]byte, 0, (n+2)*tsPacketSize)
	pat := []byte{0x00, 0xB0, 0x0D, 0x00, 0x01, 0xC1, 0x00, 0x00, 0x00, 0x01, 0xF0, 0x00}
	pmt := []byte{0x02, 0xB0, 0x12, 0x00, 0x01, 0xC1, 0x00, 0x00, 0xE1, 0x00, 0xF0, 0x00,
		0x1B, 0xE1, 0x00, 0xF0, 0x00}
	out = append(out, psiPacket(0x0000, pat)...)
	out = append(out, psiPacket(0x1000, pmt)...)
	for range n {
		p := make([]byte, tsPacketSize)
		p[0], p[1], p[2], p[3] = 0x47, 0x1F, 0xFF, 0x10
		for i := 4; i < tsPacketSize; i++ {
			p[i] = 0xFF
		}
		out = append(out, p...)
	}
	return out
}

// psiPacket wraps one PSI section (with its CRC) in a TS packet.
func psiPacket(pid uint16, section []byte) []byte {
	p := make([]byte, 0, tsPacketSize)
	p = append(p, 0x47, 0x40|byte(pid>>8), byte(pid), 0x10, 0x00)
	p = append(p, section...)
	crc := crc32MPEG2(section)
	p = append(p, byte(crc>>24), byte(crc>>16), byte(crc>>8), byte(crc))
	for len(p) < tsPacketSize {
		p = append(p, 0xFF)
	}
	return p
}

// crc32MPEG2 is the CRC of MPEG-2 PSI sections: polynomial 0x04C11DB7,
// initial 0xFFFFFFFF, not reflected, no final xor.
func crc32MPEG2(b []byte) uint32 {
	crc := uint32(0xFFFFFFFF)
	for _, c := range b {
		crc ^= uint32(c) << 24
		for range 8 {
			if crc&0x80000000 != 0 {
				crc = crc<<1 ^ 0x04C11DB7
			} else {
				crc <<= 1
			}
		}
	}
	return crc
}
