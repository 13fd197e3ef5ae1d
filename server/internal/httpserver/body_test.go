package httpserver

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
)

// TestBodyLimits checks each rule of limitBody and BodyLimit on a real
// server: the answer says how many bytes the handler could read and why it
// stopped.
func TestBodyLimits(t *testing.T) {
	gin.SetMode(gin.TestMode)
	e := New(Options{Logger: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry()})
	read := func(c *gin.Context) {
		n, err := io.Copy(io.Discard, c.Request.Body)
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &mbe):
			c.String(http.StatusOK, "%d too large past %d", n, mbe.Limit)
		case errors.Is(err, ErrMultipartRefused):
			c.String(http.StatusOK, "%d multipart refused", n)
		case err != nil:
			c.String(http.StatusOK, "%d %v", n, err)
		default:
			c.String(http.StatusOK, "%d", n)
		}
	}
	e.POST("/small", read)
	e.POST("/upload", BodyLimit(1<<20, true), read)
	srv := httptest.NewServer(e)
	defer srv.Close()

	tests := []struct {
		name, path, contentType string
		size                    int
		chunked                 bool
		want                    string
	}{
		{"SmallFits", "/small", "text/plain", DefaultBodyBytes, false, strconv.Itoa(DefaultBodyBytes)},
		{"SmallChunkedPastLimit", "/small", "text/plain", DefaultBodyBytes + 1, true, "too large past 65536"},
		{"SmallDeclaredPastLimit", "/small", "text/plain", DefaultBodyBytes + 1, false, "0 too large past 65536"},
		{"SmallMultipart", "/small", "multipart/form-data; boundary=b", 10, false, "0 multipart refused"},
		{"UploadRaised", "/upload", "text/plain", 1 << 20, true, strconv.Itoa(1 << 20)},
		{"UploadMultipart", "/upload", "Multipart/Form-Data; boundary=b", 10, false, "10"},
		{"UploadPastLimit", "/upload", "text/plain", 1<<20 + 1, false, "0 too large past 1048576"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body io.Reader = strings.NewReader(strings.Repeat("x", tt.size))
			if tt.chunked {
				body = io.MultiReader(body) // hides the length: sent chunked
			}
			req, _ := http.NewRequest(http.MethodPost, srv.URL+tt.path, body)
			req.Header.Set("Content-Type", tt.contentType)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			got, _ := io.ReadAll(resp.Body)
			if !strings.HasSuffix(string(got), tt.want) {
				t.Errorf("got %q, want it to end in %q", got, tt.want)
			}
		})
	}
}
