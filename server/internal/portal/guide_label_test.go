package portal_test

import (
	"regexp"
	"strconv"
	"testing"
	"time"
)

// TestGuideDayLabelYear: the guide's day names the year as written, in
// every language: number grouping once made it "2,026" (and "2 026").
func TestGuideDayLabelYear(t *testing.T) {
	now := guideClock()
	e := startWith(t, startOptions{guide: guideFixture(now), now: func() time.Time { return now }})
	c := aliceClient(t, e)
	label := regexp.MustCompile(`<strong id="guide-day">([^<]*)</strong>`)
	for _, lang := range []string{"en", "ru", "es", "ar"} {
		_, body := get(t, c, e.url+"/guide?lang="+lang)
		m := label.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("%s: no #guide-day in the guide", lang)
		}
		if want := " " + strconv.Itoa(now.Year()); !regexp.MustCompile(regexp.QuoteMeta(want) + `$`).MatchString(m[1]) {
			t.Errorf("%s: guide day %q, want it to end in the year %q", lang, m[1], want)
		}
	}
}
