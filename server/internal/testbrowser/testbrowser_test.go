package testbrowser_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"canale/server/internal/testbrowser"
)

const page = `<!doctype html>
<html><body>
<h1 id="title">Canale</h1>
<button id="go" onclick="document.getElementById('out').textContent = 'clicked ' + navigator.userAgent.includes('Headless')">Go</button>
<p id="out">waiting</p>
</body></html>`

func TestClickAndReadText(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(page))
	}))
	t.Cleanup(srv.Close)

	ctx := testbrowser.New(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL),
		chromedp.WaitVisible(chromedp.CSS("#go")),
		chromedp.Click(chromedp.CSS("#go")),
	)
	if err != nil {
		t.Fatalf("navigate and click: %v", err)
	}
	got, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#out")))
	if err != nil {
		t.Fatalf("read #out: %v", err)
	}
	if want := "clicked true"; got != want {
		t.Errorf("#out = %q, want %q", got, want)
	}

	shot := filepath.Join(t.TempDir(), "page.png")
	testbrowser.Screenshot(ctx, t, shot)
	b, err := os.ReadFile(shot)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
		t.Errorf("screenshot starts with %q, want the PNG signature", b[:min(8, len(b))])
	}
}
