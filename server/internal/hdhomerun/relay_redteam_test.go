package hdhomerun

import (
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

// TestRelayDropsAClientThatStopsReading: a client that asks for a stream
// and never reads (slowloris on the relay) is dropped once a write has made
// no progress for the write timeout, instead of holding the handler, its
// edge connection and a play session open for good.
func TestRelayDropsAClientThatStopsReading(t *testing.T) {
	segment := make([]byte, 4<<20)
	for i := 0; i < len(segment); i += 188 {
		segment[i] = 0x47
	}
	var seq atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("/first/index.m3u8", func(w http.ResponseWriter, r *http.Request) {
		n := seq.Add(1)
		io.WriteString(w, "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:"+strconv.FormatInt(n, 10)+
			"\n#EXTINF:1.0,\nseg.ts\n")
	})
	mux.HandleFunc("/first/seg.ts", func(w http.ResponseWriter, r *http.Request) { w.Write(segment) })
	edge := httptest.NewServer(mux)
	defer edge.Close()

	s := New(Deps{Tuners: newFakes(), Directory: newFakes(), Locator: fixedEdge(edge.URL),
		Logger: slog.New(slog.DiscardHandler), ExternalURL: func() string { return site }, Now: func() time.Time { return now }})
	s.writeTimeout = time.Second
	var once sync.Once
	done := make(chan struct{})
	e := gin.New()
	e.Use(func(c *gin.Context) {
		c.Next()
		once.Do(func() { close(done) })
	})
	s.Register(e.Group(Prefix))
	srv := httptest.NewServer(e)
	defer srv.Close()

	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close() // before srv.Close, which waits for the handler
	conn.(*net.TCPConn).SetReadBuffer(4096)
	if _, err := io.WriteString(conn, "GET "+Prefix+"/"+tunerToken+"/auto/v101 HTTP/1.1\r\nHost: tuner\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatalf("the relay still writes to a client that stopped reading 20 s ago (%d playlists fetched)", seq.Load())
	}
}
