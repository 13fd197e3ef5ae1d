package playlist

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
)

// Player is the family of player a playlist is written for; each reads catch-up differently
// (spec §5.4), so Canale serves one variant per family.
type Player int

const (
	// PlayerKodi writes pvr.iptvsimple's preferred form: catchup="default" with an explicit
	// catchup-source when the channel has one, else Kodi's Flussonic mode.
	PlayerKodi Player = iota
	// PlayerGeneric writes the TiviMate/OTT-Navigator convention: catchup and catchup-type
	// "flussonic" (or "flussonic-ts") with catchup-days and the SIPTV timeshift days.
	PlayerGeneric
	// PlayerVLC writes plain attributes only; VLC has no EPG and no catch-up from M3U.
	PlayerVLC
)

// M3UOptions chooses the variant of a playlist.
type M3UOptions struct {
	Format Format // transport of the channels' StreamURL; TS adds the Kodi mimetype line
	Player Player
}

// WriteM3U streams an extended M3U playlist of channels to w, in the order given.
//
// The output is UTF-8 without BOM, LF line endings, `#EXTM3U` at byte 0, every attribute
// quoted and sanitised (see TVGID, DisplayName). Channels without a usable StreamURL are
// skipped, as is a second channel with the same name and URL, because Kodi identifies a
// channel by name plus URL (spec §1.8). A missing or repeated Number gets the next number
// above the highest one given, so tvg-chno values are unique.
func WriteM3U(w io.Writer, header Playlist, channels []Channel, opts M3UOptions) error {
	bw := bufio.NewWriterSize(w, 32<<10)
	buf := appendHeader(make([]byte, 0, 1024), header)
	if _, err := bw.Write(buf); err != nil {
		return fmt.Errorf("write m3u header: %w", err)
	}
	numbers := assignNumbers(channels)
	seen := make(map[nameURL]struct{}, len(channels))
	for i, ch := range channels {
		streamURL, ok := cleanStreamURL(ch.StreamURL)
		if !ok {
			continue
		}
		name := DisplayName(ch)
		key := nameURL{name, streamURL}
		if _, dup := seen[key]; dup {
			continue
		}
		seen[key] = struct{}{}
		buf = appendEntry(buf[:0], ch, name, numbers[i], streamURL, opts)
		if _, err := bw.Write(buf); err != nil {
			return fmt.Errorf("write m3u entry %d: %w", ch.ID, err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("flush m3u: %w", err)
	}
	return nil
}

// nameURL is Kodi's identity of a channel (spec §1.8).
type nameURL struct{ name, url string }

// appendHeader appends the #EXTM3U line. The EPG URL goes in twice under both names and
// nothing else goes in: header catch-up defaults are ignored or buggy in Kodi (spec §1.3).
func appendHeader(buf []byte, h Playlist) []byte {
	buf = append(buf, "#EXTM3U"...)
	if u, ok := cleanURL(h.EPGURL); ok {
		buf = appendAttr(buf, "url-tvg", u)
		buf = appendAttr(buf, "x-tvg-url", u)
	}
	return append(buf, '\n')
}

// appendEntry appends one channel: #EXTINF, the optional #KODIPROP, and the URL line.
func appendEntry(buf []byte, ch Channel, name string, number int, streamURL string, opts M3UOptions) []byte {
	buf = append(buf, "#EXTINF:-1"...)
	buf = appendAttr(buf, "tvg-id", TVGID(ch))
	buf = appendAttr(buf, "tvg-name", name)
	if opts.Player != PlayerVLC {
		buf = appendAttr(buf, "tvg-chno", strconv.Itoa(number))
	}
	if logo, ok := cleanURL(ch.LogoURL); ok {
		buf = appendAttr(buf, "tvg-logo", logo)
	}
	if group := defuseKeys(cleanValue(ch.Category)); group != "" {
		buf = appendAttr(buf, "group-title", group)
	}
	if ch.DVRDays > 0 {
		buf = appendCatchup(buf, ch, opts)
	}
	buf = append(buf, ',')
	buf = append(buf, name...)
	buf = append(buf, '\n')
	if opts.Format == FormatTS && opts.Player != PlayerVLC {
		// Without it Kodi opens /mpegts once just to probe the type: one more
		// Flussonic session, which can trip the subscriber's session limit (spec §1.9).
		buf = append(buf, "#KODIPROP:mimetype=video/mp2t\n"...)
	}
	buf = append(buf, streamURL...)
	return append(buf, '\n')
}

// appendCatchup appends the catch-up attributes of a channel with DVR, on every entry,
// because header defaults are unreliable in Kodi (spec §1.3, rule 6).
func appendCatchup(buf []byte, ch Channel, opts M3UOptions) []byte {
	days := strconv.Itoa(ch.DVRDays)
	mode := "flussonic"
	if opts.Format == FormatTS {
		mode = "flussonic-ts"
	}
	switch opts.Player {
	case PlayerKodi:
		if src, ok := cleanURL(ch.CatchupSource); ok {
			buf = appendAttr(buf, "catchup", "default")
			buf = appendAttr(buf, "catchup-days", days)
			return appendAttr(buf, "catchup-source", src)
		}
		buf = appendAttr(buf, "catchup", mode)
		return appendAttr(buf, "catchup-days", days)
	case PlayerGeneric:
		buf = appendAttr(buf, "catchup", mode)
		buf = appendAttr(buf, "catchup-type", mode)
		buf = appendAttr(buf, "catchup-days", days)
		return appendAttr(buf, "timeshift", days)
	}
	return buf
}

// appendAttr appends ` key="value"`; value must already be clean.
func appendAttr(buf []byte, key, value string) []byte {
	buf = append(buf, ' ')
	buf = append(buf, key...)
	buf = append(buf, '=', '"')
	buf = append(buf, value...)
	return append(buf, '"')
}

// assignNumbers returns the tvg-chno of each channel: its own Number when positive and not
// taken by an earlier channel, otherwise the next free number above the highest given.
// It depends only on the input order, so numbers are stable across refreshes.
func assignNumbers(channels []Channel) []int {
	used := make(map[int]bool, len(channels))
	maxNumber := 0
	for _, ch := range channels {
		maxNumber = max(maxNumber, ch.Number)
	}
	numbers := make([]int, len(channels))
	next := maxNumber + 1
	for i, ch := range channels {
		if ch.Number > 0 && !used[ch.Number] {
			numbers[i] = ch.Number
		} else {
			numbers[i] = next
			next++
		}
		used[numbers[i]] = true
	}
	return numbers
}
