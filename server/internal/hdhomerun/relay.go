package hdhomerun

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// HDHomeRun error details a real tuner sends in X-HDHomeRun-Error with its
// 503s (spec §3.2).
const (
	errAllTunersInUse = "805 All Tuners In Use"
	errNoVideoData    = "807 No Video Data"
)

// errRefused is the edge refusing the subscriber's token (403): the play
// authorization said no, in practice because every session is in use.
var errRefused = errors.New("the edge refused the token")

// handleStream relays /auto/v<GuideNumber> as MPEG-TS (spec §3). Everything
// before the first byte comes from memory (the read model, the fleet) except
// the two edge requests, so the first TS packets leave within a second or
// two. ?transcode= is ignored; ?duration=<s> ends the stream after that long.
func (s *Server) handleStream(c *gin.Context) {
	d, chs, _, ok := s.resolveLineup(c)
	if !ok {
		return
	}
	number, ok := strings.CutPrefix(c.Param("channel"), "v")
	if !ok {
		c.String(http.StatusNotFound, "unknown channel\n")
		return
	}
	var name string
	for _, ch := range chs {
		if ch.number == number {
			name = ch.Name
			break
		}
	}
	if name == "" {
		c.String(http.StatusNotFound, "unknown channel\n")
		return
	}
	ctx := c.Request.Context()
	if secs, err := strconv.Atoi(c.Query("duration")); err == nil && secs > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Duration(secs)*time.Second)
		defer cancel()
	}
	edgeURL, status := s.deps.Locator.Locate("/"+name+"/index.m3u8", "token="+url.QueryEscape(d.sub.Token))
	if status != http.StatusFound {
		unavailable(c, errNoVideoData, "no streamer is serving this channel now")
		return
	}
	err := s.relay(ctx, c.Writer, edgeURL)
	switch {
	case c.Writer.Written():
		if err != nil && ctx.Err() == nil {
			s.deps.Logger.InfoContext(c, "tuner stream ended", "subscriber", d.sub.ID, "channel", name, "error", err)
		}
	case errors.Is(err, errRefused):
		unavailable(c, errAllTunersInUse, "the subscriber's streams are all in use")
	default:
		s.deps.Logger.WarnContext(c, "tuner stream", "subscriber", d.sub.ID, "channel", name, "error", err)
		unavailable(c, errNoVideoData, "the channel could not be tuned")
	}
}

func unavailable(c *gin.Context, detail, msg string) {
	c.Header("X-HDHomeRun-Error", detail)
	c.Header("Retry-After", "10")
	c.String(http.StatusServiceUnavailable, msg+"\n")
}

// relay follows the HLS media playlist at playlistURL (or the first variant
// of a master playlist) and writes its segments, each once and in order, to
// w: MPEG-TS segments of one stream concatenate into one MPEG-TS stream. It
// starts with the newest segment, so the media server gets live pictures at
// once, and writes the 200 only when the first segment answered, so a
// refusal is still a 503. It returns when ctx ends, the client goes, the
// playlist ends or the edge fails.
func (s *Server) relay(ctx context.Context, w gin.ResponseWriter, playlistURL string) error {
	// copySegment's write deadlines must not outlive the stream: the server
	// resets none for the connection's next request.
	rc := http.NewResponseController(w)
	defer func() { _ = rc.SetWriteDeadline(time.Time{}) }()
	var last int64 = -1 // media sequence number of the last segment written
	progress := time.Now()
	for {
		pl, err := s.fetchPlaylist(ctx, playlistURL)
		if err != nil {
			return err
		}
		if pl.variant != "" {
			playlistURL = pl.variant
			continue
		}
		if len(pl.segments) == 0 && pl.ended {
			return io.EOF
		}
		from := 0
		if last < 0 {
			from = max(len(pl.segments)-1, 0)
		}
		for i := from; i < len(pl.segments); i++ {
			seq := pl.sequence + int64(i)
			if seq <= last {
				continue
			}
			if err := s.copySegment(ctx, w, pl.segments[i]); err != nil {
				return err
			}
			last, progress = seq, time.Now()
		}
		if pl.ended {
			return io.EOF
		}
		// A live playlist that stops moving is a dead input: end the stream,
		// as a tuner that loses its signal does, rather than hold the
		// media server (and a session) on a silent connection.
		if stalled := time.Since(progress); stalled > max(stallSegments*pl.target, minStall) {
			return fmt.Errorf("no new segment for %v", stalled.Round(time.Second))
		}
		wait := max(pl.target/2, 500*time.Millisecond)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
}

// mediaPlaylist is what relay needs of an HLS playlist.
type mediaPlaylist struct {
	sequence int64
	target   time.Duration
	segments []string // absolute URLs
	ended    bool
	variant  string // a master playlist's first variant, absolute
}

// get requests u from the edge; the response's body must be closed, which
// also ends the request's time limit.
func (s *Server) get(ctx context.Context, u string) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		cancel()
		return nil, err
	}
	req.Header.Set("User-Agent", "canale-hdhomerun")
	res, err := s.deps.Client.Do(req)
	if err != nil {
		cancel()
		return nil, err
	}
	switch {
	case res.StatusCode == http.StatusForbidden || res.StatusCode == http.StatusUnauthorized:
		res.Body.Close()
		cancel()
		return nil, errRefused
	case res.StatusCode != http.StatusOK:
		res.Body.Close()
		cancel()
		return nil, fmt.Errorf("edge answered %d", res.StatusCode)
	}
	res.Body = cancelOnClose{res.Body, cancel}
	return res, nil
}

// cancelOnClose releases a request's context when its body is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}

// maxPlaylist bounds what is read of one playlist.
const maxPlaylist = 1 << 20

// A stream whose playlist brings no new segment for stallSegments target
// durations (at least minStall) has stalled; one edge request (a playlist or
// a whole segment) may take at most requestTimeout.
const (
	stallSegments  = 6
	minStall       = 10 * time.Second
	requestTimeout = 20 * time.Second
)

func (s *Server) fetchPlaylist(ctx context.Context, u string) (mediaPlaylist, error) {
	var pl mediaPlaylist
	res, err := s.get(ctx, u)
	if err != nil {
		return pl, err
	}
	defer res.Body.Close()
	base := res.Request.URL // segment URLs are relative to the playlist, after any redirect
	pl.target = 2 * time.Second
	sc := bufio.NewScanner(io.LimitReader(res.Body, maxPlaylist))
	master := false
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "#EXT-X-MEDIA-SEQUENCE:"):
			pl.sequence, _ = strconv.ParseInt(strings.TrimPrefix(line, "#EXT-X-MEDIA-SEQUENCE:"), 10, 64)
		case strings.HasPrefix(line, "#EXT-X-TARGETDURATION:"):
			if n, err := strconv.Atoi(strings.TrimPrefix(line, "#EXT-X-TARGETDURATION:")); err == nil && n > 0 {
				pl.target = time.Duration(n) * time.Second
			}
		case strings.HasPrefix(line, "#EXT-X-STREAM-INF"):
			master = true
		case line == "#EXT-X-ENDLIST":
			pl.ended = true
		case line == "" || strings.HasPrefix(line, "#"):
		default:
			ref, err := base.Parse(line)
			if err != nil {
				return pl, fmt.Errorf("segment URL %q: %w", line, err)
			}
			if master {
				pl.variant = ref.String()
				return pl, nil
			}
			pl.segments = append(pl.segments, ref.String())
		}
	}
	return pl, sc.Err()
}

// copySegment writes one segment to w, sending the 200 and its headers
// before the first segment's bytes.
func (s *Server) copySegment(ctx context.Context, w gin.ResponseWriter, u string) error {
	res, err := s.get(ctx, u)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if !w.Written() {
		h := w.Header()
		h.Set("Content-Type", "video/mp2t")
		h.Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusOK)
	}
	if _, err := io.Copy(deadlineWriter{w: w, rc: http.NewResponseController(w), timeout: s.writeTimeout}, res.Body); err != nil {
		return err
	}
	w.Flush()
	return nil
}

// deadlineWriter gives each write to the media server timeout to go out.
// The server sets no write timeout (a stream lasts as long as it is
// watched), so a client that stops reading, with its TCP window closed,
// would block the relay in a write for good, holding the handler, its edge
// connection and a play session: slowloris on the relay. A client reading
// at the stream's rate takes a 32 KiB write in well under a second.
type deadlineWriter struct {
	w       io.Writer
	rc      *http.ResponseController
	timeout time.Duration
}

func (d deadlineWriter) Write(p []byte) (int, error) {
	_ = d.rc.SetWriteDeadline(time.Now().Add(d.timeout)) // unsupported only off a real connection (tests' recorders)
	return d.w.Write(p)
}
