package httpserver

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// DefaultBodyBytes bounds the body of every route that does not raise it
// with BodyLimit: the forms of the portal and the Xtream API, streamer
// callbacks and sign-ins are a few hundred bytes.
const DefaultBodyBytes = 64 << 10

// Reading a body must keep pace: bodyTimeout for the first bytes, plus a
// second per bodyRate bytes the route may take. A body sent a byte a second
// is cut there; a 256 MiB import on a slow link still gets over four minutes.
const (
	bodyTimeout = 10 * time.Second
	bodyRate    = 1 << 20
)

// ErrMultipartRefused is what reading a multipart body returns on a route
// that takes none: parsing one spools its files to disk.
var ErrMultipartRefused = errors.New("multipart bodies are not accepted here")

// limitedBody is the request body as every handler sees it: it refuses
// multipart unless the route allows it and stops at the route's limit with
// *http.MaxBytesError. The limit may change until the first read.
type limitedBody struct {
	src       io.ReadCloser
	declared  int64 // Content-Length, -1 when chunked
	w         http.ResponseWriter
	rc        *http.ResponseController
	limit     int64
	multipart bool      // the request claims a multipart body
	allowed   bool      // the route takes multipart
	r         io.Reader // set at the first read
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.r == nil {
		switch {
		case b.multipart && !b.allowed:
			b.r = errReader{ErrMultipartRefused}
		case b.declared > b.limit: // announced too large: refuse before reading a byte
			b.r = errReader{&http.MaxBytesError{Limit: b.limit}}
		default:
			b.r = http.MaxBytesReader(b.w, b.src, b.limit)
		}
	}
	n, err := b.r.Read(p)
	if err == io.EOF {
		// The whole body is in. net/http now reads ahead to notice a client
		// that goes away; left in place, the deadline would time that read
		// out and cancel the context of a handler still at work.
		_ = b.rc.SetReadDeadline(time.Time{})
	}
	return n, err
}

func (b *limitedBody) Close() error { return b.src.Close() }

// errReader fails every read with err. After the answer, net/http drains
// at most 256 KiB of what is left unread and otherwise closes the connection.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// limitBody bounds every request body and the time it may take to arrive.
// Requests without a body (every GET of the hot paths, the websocket
// upgrade) pass untouched, so long-lived answers keep no read deadline.
func limitBody(c *gin.Context) {
	r := c.Request
	if r.Body == nil || r.Body == http.NoBody {
		c.Next()
		return
	}
	// Unwrap so MaxBytesReader can tell net/http to close the connection
	// instead of draining an oversized body.
	w := http.ResponseWriter(c.Writer)
	if u, ok := w.(interface{ Unwrap() http.ResponseWriter }); ok {
		w = u.Unwrap()
	}
	b := &limitedBody{src: r.Body, declared: r.ContentLength, w: w, rc: http.NewResponseController(w), limit: DefaultBodyBytes,
		multipart: strings.HasPrefix(strings.ToLower(r.Header.Get("Content-Type")), "multipart/")}
	r.Body = b
	b.setDeadline()
	c.Next()
}

// BodyLimit lets the route it precedes take a body of up to n bytes, and
// multipart ones too when multipart is set (an upload form).
func BodyLimit(n int64, multipart bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		if b, ok := c.Request.Body.(*limitedBody); ok && b.r == nil {
			b.limit, b.allowed = n, multipart
			b.setDeadline()
		}
		c.Next()
	}
}

// setDeadline gives the body until its read deadline, which the server
// resets for the next request on the connection.
func (b *limitedBody) setDeadline() {
	d := bodyTimeout + time.Duration(b.limit/bodyRate)*time.Second
	_ = b.rc.SetReadDeadline(time.Now().Add(d))
}
