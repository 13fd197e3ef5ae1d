package portal_test

import (
	"testing"

	"canale/server/internal/testbrowser"

	"github.com/chromedp/chromedp"
)

// TestBrowserCardStartsAtItsPadding: a card whose first line is a
// paragraph (the reset-token question, the 404 page) showed an empty band
// above it on the portal-shot screenshots; its first line starts at the
// card's padding, like a card that opens with a heading.
func TestBrowserCardStartsAtItsPadding(t *testing.T) {
	e := start(t, "")
	ctx := testbrowser.New(t)
	gridSignIn(t, ctx, e)
	for _, w := range browserWidths {
		err := chromedp.Do(ctx, chromedp.EmulateViewport(w.width, w.height), chromedp.Navigate(e.url+"/account/reset-token"),
			chromedp.WaitVisible(chromedp.CSS("#confirm")))
		if err != nil {
			t.Fatal(err)
		}
		gap := evalJS[float64](t, ctx, `(c => c.firstElementChild.getBoundingClientRect().top - c.getBoundingClientRect().top -
			parseFloat(getComputedStyle(c).paddingTop) - parseFloat(getComputedStyle(c).borderTopWidth))(document.getElementById("confirm"))`)
		if gap > 1 {
			t.Errorf("%s: the confirm card's first line starts %.0f px below its padding", w.name, gap)
		}
	}
}
