package epg

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"

	"canale/server/internal/netguard"
	"canale/shared/api"
)

const (
	// FetchTimeout bounds a whole guide download, body included: a large guide over a slow
	// link takes minutes, a stalled one must not hold the importer for ever.
	FetchTimeout = 10 * time.Minute
	// MaxGuideBytes bounds the bytes read from a source; real guides are well below it.
	MaxGuideBytes = 2 << 30
)

// ErrTooLarge is returned by a Download's Read once a source sends more than its limit.
var ErrTooLarge = errors.New("guide is larger than the download limit")

// Download is the body of a guide being fetched; pass it to Parse and Close it after.
type Download struct {
	body   io.ReadCloser
	cancel context.CancelFunc
	n      atomic.Int64
	limit  int64
	size   int64
}

// Fetch starts downloading the guide at url with client, within FetchTimeout and
// MaxGuideBytes. A nil client is netguard's, which refuses private addresses: a
// guide URL is typed by staff but answered by strangers. It returns an error unless the source answers
// 200 OK. Compression is left to Parse, which recognises gzip by content.
func Fetch(ctx context.Context, client *http.Client, url string) (*Download, error) {
	return fetch(ctx, client, url, FetchTimeout, MaxGuideBytes)
}

func fetch(ctx context.Context, client *http.Client, guideURL string, timeout time.Duration, limit int64) (*Download, error) {
	if client == nil {
		client = netguard.Client(false)
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, guideURL, nil)
	if err != nil {
		cancel()
		return nil, fmt.Errorf("fetch guide: %w", withoutSecrets(err))
	}
	req.Header.Set("User-Agent", "canale-epg")
	resp, err := client.Do(req)
	if err != nil {
		cancel()
		return nil, fmt.Errorf("fetch guide: %w", withoutSecrets(err))
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		cancel()
		return nil, fmt.Errorf("fetch guide: %s answered %s", api.RedactURL(req.URL.String()), resp.Status)
	}
	if resp.ContentLength > limit {
		resp.Body.Close()
		cancel()
		return nil, fmt.Errorf("fetch guide: %d bytes: %w", resp.ContentLength, ErrTooLarge)
	}
	return &Download{body: resp.Body, cancel: cancel, limit: limit, size: resp.ContentLength}, nil
}

// Read reads the body, failing with ErrTooLarge past the limit.
func (d *Download) Read(p []byte) (int, error) {
	if room := d.limit - d.n.Load() + 1; int64(len(p)) > room {
		p = p[:room] // read one byte past the limit to tell "exactly at" from "over"
	}
	n, err := d.body.Read(p)
	if d.n.Add(int64(n)) > d.limit {
		return n, ErrTooLarge
	}
	return n, err
}

// BytesRead returns how many body bytes have been read so far; safe from any goroutine,
// so an admin screen can show a download's progress.
func (d *Download) BytesRead() int64 { return d.n.Load() }

// Size returns the announced body size, or -1 when the source did not say.
func (d *Download) Size() int64 { return d.size }

// Close releases the connection and the download's deadline.
func (d *Download) Close() error {
	err := d.body.Close()
	d.cancel()
	return err
}

// withoutSecrets redacts the URL a *url.Error names: XC-style guide URLs
// carry a login and password in their query, and a fetch error reaches the
// log, the stored last error and every desktop app's events.
func withoutSecrets(err error) error {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return err
	}
	if _, perr := url.Parse(ue.URL); perr != nil {
		ue.URL = "(a URL that does not parse)" // nothing to tell its secrets apart by
	} else {
		ue.URL = api.RedactURL(ue.URL)
	}
	return err
}
