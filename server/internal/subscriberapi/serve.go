package subscriberapi

import (
	"compress/gzip"
	"net/http"
	"sync"

	"canale/server/internal/rendercache"

	"github.com/gin-gonic/gin"
)

// ServeBytes answers with body: an ETag from its hash, 304 when the client
// already holds it, gzip when the client accepts it. The playlist handlers
// and their benchmark baseline both go through it, so the baseline is fair.
func ServeBytes(c *gin.Context, contentType string, body []byte) {
	etag := rendercache.BodyETag(body)
	h := c.Writer.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "private, no-cache")
	h.Set("Vary", "Accept-Encoding")
	if rendercache.NotModified(c.Request, etag) {
		c.Status(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", contentType)
	if !rendercache.AcceptsGzip(c.Request) {
		c.Data(http.StatusOK, contentType, body)
		return
	}
	h.Set("Content-Encoding", "gzip")
	h.Del("Content-Length")
	c.Status(http.StatusOK)
	zw := gzipPool.Get().(*gzip.Writer)
	zw.Reset(c.Writer)
	_, _ = zw.Write(body)
	_ = zw.Close()
	gzipPool.Put(zw)
}

var gzipPool = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return zw
}}
