package flussonic

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// APIPrefix is the path of the current Flussonic API on a streamer.
const APIPrefix = "/streamer/api/v3"

// LegacyPrefix is the path of the pre-v3 API, used when v3 answers 404.
const LegacyPrefix = "/flussonic/api"

// maxBody bounds one response so a broken streamer cannot exhaust memory.
const maxBody = 64 << 20

// Config says where a streamer is and how to log in to it.
type Config struct {
	// BaseURL is the streamer's root, e.g. http://10.0.0.5:80; a trailing
	// /streamer/api/v3 is accepted and ignored.
	BaseURL string
	// Login and Password are edit_auth/view_auth credentials (sent as Basic).
	Login, Password string
	// Key, if set, is sent as "Authorization: Bearer <Key>" instead of Basic.
	// Flussonic's key is base64(login:password); see BearerKey.
	Key string
	// HTTPClient carries timeouts and transport; nil means a client with a 10 s timeout.
	HTTPClient *http.Client
	// PageLimit is the limit= asked per page of streams; 0 means 1000.
	PageLimit int
}

// BearerKey returns the Bearer key Flussonic accepts for login and password.
func BearerKey(login, password string) string {
	return basicToken(login, password)
}

// Client talks to one streamer. It is safe for concurrent use.
type Client struct {
	base   string
	auth   string
	http   *http.Client
	limit  int
	legacy atomic.Bool // set once v3 answered 404
	// names are the stream names of the last listing, so the next one
	// reuses their strings; lastCount sizes its result.
	names     atomic.Pointer[map[string]string]
	lastCount atomic.Int64
}

// New returns a Client for the streamer described by cfg.
func New(cfg Config) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(cfg.BaseURL, "/"))
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("parse streamer URL %q: must be http(s)://host[:port]", cfg.BaseURL)
	}
	u.Path = strings.TrimSuffix(u.Path, APIPrefix)
	c := &Client{base: u.String(), http: cfg.HTTPClient, limit: cfg.PageLimit}
	if c.http == nil {
		c.http = &http.Client{Timeout: 10 * time.Second}
	}
	if c.limit <= 0 {
		c.limit = 1000
	}
	switch {
	case cfg.Key != "":
		c.auth = "Bearer " + cfg.Key
	case cfg.Login != "" || cfg.Password != "":
		c.auth = "Basic " + basicToken(cfg.Login, cfg.Password)
	}
	return c, nil
}

// BaseURL returns the streamer root this client talks to.
func (c *Client) BaseURL() string { return c.base }

// Legacy reports whether the streamer answered 404 to v3 and is now spoken
// to through the legacy API.
func (c *Client) Legacy() bool { return c.legacy.Load() }

// do sends one request and decodes a JSON answer into out (when out is not nil).
func (c *Client) do(ctx context.Context, method, path string, q url.Values, out any) error {
	return c.doDecode(ctx, method, path, q, func(body []byte) error {
		if out == nil {
			return nil
		}
		return json.Unmarshal(body, out)
	})
}

// bodies holds response buffers between polls: a page of 1,000 streams is
// hundreds of kilobytes, read every few seconds from every streamer.
var bodies = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBody is the largest buffer kept for reuse; an odd huge answer
// is left to the collector rather than pinned.
const maxPooledBody = 8 << 20

// doDecode sends one request and passes a non-empty 2xx body to decode,
// which must not keep it: the buffer is reused.
func (c *Client) doDecode(ctx context.Context, method, path string, q url.Values, decode func([]byte) error) error {
	op := method + " " + path
	u := c.base + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u, nil)
	if err != nil {
		return &Error{Op: op, Kind: ErrBadResponse, Err: err}
	}
	req.Header.Set("Accept", "application/json")
	if c.auth != "" {
		req.Header.Set("Authorization", c.auth)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return transportError(op, err)
	}
	defer resp.Body.Close()
	buf := bodies.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= maxPooledBody {
			bodies.Put(buf)
		}
	}()
	if _, err := buf.ReadFrom(io.LimitReader(resp.Body, maxBody)); err != nil {
		return transportError(op, err)
	}
	body := buf.Bytes()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return &Error{Op: op, Status: resp.StatusCode, Kind: statusKind(resp.StatusCode), Title: errorTitle(body)}
	}
	if len(body) == 0 {
		return nil
	}
	if err := decode(body); err != nil {
		return &Error{Op: op, Status: resp.StatusCode, Kind: ErrBadResponse, Err: err}
	}
	return nil
}

// errorTitle pulls a human message out of either error shape Flussonic uses:
// {"errors":[{"title":..}]} or the older {"error":".."}.
func errorTitle(body []byte) string {
	var e struct {
		Errors []struct {
			Title string `json:"title"`
			Code  string `json:"code"`
		} `json:"errors"`
		Error flexString `json:"error"`
	}
	if json.Unmarshal(body, &e) != nil {
		return ""
	}
	if len(e.Errors) > 0 {
		return strings.TrimSpace(e.Errors[0].Code + " " + e.Errors[0].Title)
	}
	return e.Error.V
}

// streamsPage is one page of GET /streams.
type streamsPage struct {
	Streams []wireStream `json:"streams"`
	Next    flexString   `json:"next"`
}

// pages holds decoded pages between polls, for the same reason as bodies.
var pages = sync.Pool{New: func() any { return new(streamsPage) }}

// Streams lists every stream on the streamer, following next cursors.
func (c *Client) Streams(ctx context.Context) ([]Stream, error) {
	return c.AppendStreams(ctx, nil)
}

// AppendStreams is Streams appending to dst, so that a poller can list a
// streamer every few seconds into the same memory.
func (c *Client) AppendStreams(ctx context.Context, dst []Stream) ([]Stream, error) {
	if c.legacy.Load() {
		return c.legacyStreams(ctx, dst)
	}
	page := pages.Get().(*streamsPage)
	defer pages.Put(page)
	in := c.interner()
	out := dst
	if out == nil {
		out = make([]Stream, 0, c.lastCount.Load())
	}
	var seen map[string]bool
	cursor := ""
	limit := strconv.Itoa(c.limit)
	for {
		q := url.Values{"select": {streamFields}, "limit": {limit}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		page.Streams, page.Next = page.Streams[:0], flexString{}
		err := c.doDecode(ctx, http.MethodGet, APIPrefix+"/streams", q, func(body []byte) error {
			return decodeStreamsPage(body, page, in.intern)
		})
		if errors.Is(err, ErrNotFound) && cursor == "" {
			c.legacy.Store(true)
			return c.legacyStreams(ctx, dst)
		}
		if err != nil {
			return nil, err
		}
		for _, w := range page.Streams {
			out = append(out, w.normalise())
		}
		cursor = page.Next.V
		if cursor == "" || cursor == "null" || len(page.Streams) == 0 {
			c.lastCount.Store(int64(len(out) - len(dst)))
			in.keep(c, out[len(dst):])
			return out, nil
		}
		if seen == nil {
			seen = map[string]bool{}
		}
		if seen[cursor] {
			return nil, &Error{Op: "GET " + APIPrefix + "/streams", Kind: ErrBadResponse,
				Err: fmt.Errorf("cursor %q repeated", cursor)}
		}
		seen[cursor] = true
	}
}

// Stream returns one stream with its stats.
func (c *Client) Stream(ctx context.Context, name string) (Stream, error) {
	var w wireStream
	err := c.do(ctx, http.MethodGet, APIPrefix+"/streams/"+url.PathEscape(name), nil, &w)
	if err != nil {
		return Stream{}, err
	}
	return w.normalise(), nil
}

// ServerStats returns the streamer's load from /config/stats (or the legacy
// /flussonic/api/server when v3 is missing).
func (c *Client) ServerStats(ctx context.Context) (ServerStats, error) {
	if c.legacy.Load() {
		return c.legacyServerStats(ctx)
	}
	var w wireServerStats
	err := c.do(ctx, http.MethodGet, APIPrefix+"/config/stats", nil, &w)
	if errors.Is(err, ErrNotFound) {
		c.legacy.Store(true)
		return c.legacyServerStats(ctx)
	}
	if err != nil {
		return ServerStats{}, err
	}
	return w.normalise(), nil
}
