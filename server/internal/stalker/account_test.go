package stalker_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"canale/shared/api"
)

// TestAccountInfoShowsExpiry: a subscriber expiring on a known date sees it
// on the box's account page (spec §8): phone carries the date as apps read
// it, end_date Stalker's own form with the days left, both in UTC, however
// the expiry was written.
func TestAccountInfoShowsExpiry(t *testing.T) {
	p := newPortal(t)
	// 02:00 in UTC+5 is 21:00 UTC the day before: a date taken in the
	// writer's zone would show the 15th.
	expires := time.Date(2031, time.March, 15, 2, 0, 0, 0, time.FixedZone("UTC+5", 5*3600))
	p.update(t, "bob", api.SubscriberUpdate{ExpiresAt: &expires})
	p.reload(t)
	p.device(t, "bob", "00:1A:79:00:00:0B", false)
	b := newBox(t, p.srv.URL, "00:1A:79:00:00:0B")
	if pr := b.boot(); pr.Status != 0 {
		t.Fatalf("bob's box: %+v", pr)
	}
	var info struct {
		MAC     string `json:"mac"`
		Phone   string `json:"phone"`
		EndDate string `json:"end_date"`
		LS      string `json:"ls"`
	}
	before := int(time.Until(expires).Hours() / 24)
	b.js(&info, "account_info", "get_main_info")
	after := int(time.Until(expires).Hours() / 24)
	if info.MAC != "00:1A:79:00:00:0B" || info.LS != strconv.FormatInt(p.subs["bob"].ID, 10) {
		t.Errorf("main info = %+v, want bob's box and account", info)
	}
	if info.Phone != "March 14, 2031" {
		t.Errorf("phone = %q, want the UTC expiry date March 14, 2031", info.Phone)
	}
	days, ok := strings.CutPrefix(info.EndDate, "2031-03-14 (")
	if !ok || (days != strconv.Itoa(before)+" days)" && days != strconv.Itoa(after)+" days)") {
		t.Errorf("end_date = %q, want 2031-03-14 (%d days)", info.EndDate, before)
	}
}
