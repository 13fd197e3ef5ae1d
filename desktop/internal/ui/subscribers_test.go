package ui

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"canale/shared/api"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// TestSubscriberLinksWork shows a subscriber and fetches every link the
// form copies: built by the server, so the HLS link ends in .m3u8 and each
// one answers 200.
func TestSubscriberLinksWork(t *testing.T) {
	f := setup(t)
	sub := createSubscriber(t, f.srv.Admin, "linda")
	f.signInAdmin(t)
	s := screenOf[*subscribersScreen](t, f)
	var links []string
	f.ui(func() {
		s.form.show(sub)
		if !strings.HasSuffix(s.form.m3u.Text, "/playlist/"+sub.Token+".m3u8") {
			t.Errorf("HLS link %q, want it to end in /playlist/TOKEN.m3u8", s.form.m3u.Text)
		}
		links = []string{s.form.m3u.Text, s.form.m3uTS.Text, s.form.xmltv.Text}
	})
	for _, l := range links {
		resp, err := http.Get(l)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: got %d, want 200", l, resp.StatusCode)
		}
	}
}

// TestSubscriberActionsApply checks that only the actions that apply are
// enabled: none but Save for a new subscriber, Disable for an active one,
// Enable for a disabled one.
func TestSubscriberActionsApply(t *testing.T) {
	f := setup(t)
	sub := createSubscriber(t, f.srv.Admin, "ann")
	f.signInAdmin(t)
	s := screenOf[*subscribersScreen](t, f)
	disabled := sub
	disabled.Status = api.StatusDisabled
	for _, tc := range []struct {
		name string
		sub  api.Subscriber
		want map[string]bool
	}{
		{"new", api.Subscriber{Status: api.StatusActive}, map[string]bool{"Save": true, "Reset token": false, "Extend": false, "Enable": false, "Disable": false}},
		{"active", sub, map[string]bool{"Save": true, "Reset token": true, "Extend": true, "Enable": false, "Disable": true}},
		{"disabled", disabled, map[string]bool{"Save": true, "Reset token": true, "Extend": true, "Enable": true, "Disable": false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f.ui(func() {
				s.form.show(tc.sub)
				ui := s.form.buildUI()
				for label, enabled := range tc.want {
					b := findButton(ui, label)
					if b == nil {
						t.Fatalf("no %q button", label)
					}
					if got := !b.Disabled(); got != enabled {
						t.Errorf("%q enabled: got %v, want %v", label, got, enabled)
					}
				}
			})
		})
	}
}

// TestSubscriberFiltersLabelled checks that every filter says what it
// filters.
func TestSubscriberFiltersLabelled(t *testing.T) {
	f := setup(t)
	f.signInAdmin(t)
	s := screenOf[*subscribersScreen](t, f)
	f.ui(func() {
		seen := map[string]bool{}
		for _, o := range test.LaidOutObjects(s.buildUI()) {
			if l, ok := o.(*widget.Label); ok {
				seen[l.Text] = true
			}
		}
		for _, want := range []string{"Status", "Package", "Reseller", "Sort by"} {
			if !seen[want] {
				t.Errorf("no filter label %q", want)
			}
		}
	})
}

// TestSubscriberExtendDialog extends a subscriber by days through the form
// dialog: days that do not read are named under the field, 30 days are
// added and the form shows the new expiry.
func TestSubscriberExtendDialog(t *testing.T) {
	f := setup(t)
	soon := time.Now().Add(24 * time.Hour)
	sub, err := f.srv.Admin.CreateSubscriber(ctx(t), api.Subscriber{Login: "ext", Password: "pw-ext", Status: api.StatusActive, ExpiresAt: &soon})
	if err != nil {
		t.Fatal(err)
	}
	f.signInAdmin(t)
	s := screenOf[*subscribersScreen](t, f)
	var days *keyEntry
	f.ui(func() {
		s.form.show(sub)
		s.form.onExtend()
		for _, o := range test.LaidOutObjects(f.win.Canvas().Overlays().Top()) {
			if e, ok := o.(*keyEntry); ok && e.PlaceHolder == "e.g. 30" {
				days = e
			}
		}
		if days == nil {
			t.Fatal("no days field in the Extend dialog")
		}
		test.Type(days, "a month")
	})
	f.tapDialog(t, "Save")
	f.ui(func() {
		if got := days.Text; got != "a month" || f.win.Canvas().Overlays().Top() == nil {
			t.Errorf("the dialog closed on days %q that do not read", got)
		}
		days.SetText("30")
	})
	f.tapDialog(t, "Save")
	f.waitUI(t, "the extended expiry", func() bool { return s.form.outcome.Text == "Extended." })
	got, err := f.srv.Admin.Subscriber(ctx(t), sub.ID)
	if err != nil || got.ExpiresAt == nil || got.ExpiresAt.Before(soon.Add(29*24*time.Hour)) {
		t.Errorf("after extending by 30 days: expires %v (%v), want a month later", got.ExpiresAt, err)
	}
	f.ui(func() {
		if want := got.ExpiresAt.Local().Format(expiryLayout); s.form.expiry.Text != want {
			t.Errorf("form shows expiry %q, want %q", s.form.expiry.Text, want)
		}
	})
}

// TestSubscriberFormFieldErrors saves a subscriber with a bad address rule
// (refused by the server) and one with a balance that does not read (by
// the form): each error shows under its field.
func TestSubscriberFormFieldErrors(t *testing.T) {
	f := setup(t)
	sub := createSubscriber(t, f.srv.Admin, "errs")
	f.signInAdmin(t)
	s := screenOf[*subscribersScreen](t, f)
	f.ui(func() {
		s.form.show(sub)
		s.form.ips.SetText("not-an-address")
	})
	f.tap(t, s.form.buildUI(), "Save")
	f.waitUI(t, "the address error under Allowed IPs", func() bool { return s.form.fields.fieldError("allowed_ips") != "" })
	f.ui(func() {
		if got := s.form.fields.fieldError("allowed_ips"); !strings.Contains(got, "not-an-address") {
			t.Errorf("error under Allowed IPs: %q", got)
		}
		s.form.ips.SetText("")
		s.form.balance.SetText("lots")
		test.Tap(findButton(s.form.buildUI(), "Save"))
		if got := s.form.fields.fieldError("balance"); got == "" || s.form.fields.fieldError("allowed_ips") != "" {
			t.Errorf("balance error %q, address error %q; want only the balance's", got, s.form.fields.fieldError("allowed_ips"))
		}
	})
}
