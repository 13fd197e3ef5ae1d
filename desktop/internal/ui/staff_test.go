package ui

import (
	"strings"
	"testing"
	"time"

	"canale/server/servertest"
	"canale/shared/api"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/pquerna/otp/totp"
)

// dialogWidget returns the first widget of type T in the dialog on top for
// which ok holds.
func dialogWidget[T fyne.CanvasObject](t *testing.T, f *fixture, ok func(T) bool) T {
	t.Helper()
	var found T
	var seen bool
	f.ui(func() {
		top := f.win.Canvas().Overlays().Top()
		if top == nil {
			t.Fatal("no dialog open")
		}
		for _, o := range test.LaidOutObjects(top) {
			if w, is := o.(T); is && !seen && ok(w) {
				found, seen = w, true
			}
		}
	})
	if !seen {
		t.Fatalf("no %T in the dialog", found)
	}
	return found
}

func TestStaffScreenCreatesAndDisablesAnOperator(t *testing.T) {
	f := setup(t)
	f.signInAdmin(t)
	s := screenOf[*staffScreen](t, f)
	f.ui(func() {
		test.Type(s.login, "noc")
		test.Type(s.password, "noc-password-1")
		s.role.SetSelected(string(api.RoleOperator))
	})
	f.tapOn(t, s, "Create")
	var noc api.Admin
	f.waitUI(t, "noc in the list", func() bool {
		for _, a := range s.staff {
			if a.Login == "noc" {
				noc = a
			}
		}
		return noc.ID != 0
	})
	if noc.Role != api.RoleOperator {
		t.Errorf("created %+v, want an operator", noc)
	}
	f.ui(func() { s.onSelect(noc) })
	f.tapOn(t, s, "Disable")
	got, err := f.srv.Admin.Admin(ctx(t), noc.ID)
	if err != nil || !got.Disabled {
		var outcome string
		f.ui(func() { outcome = s.outcome.Text })
		t.Errorf("on the server: got %+v, %v; want noc disabled (%q)", got, err, outcome)
	}
}

func TestStaffScreenEnrolsTOTP(t *testing.T) {
	f := setup(t)
	servertest.CreateAdmin(t, f.srv, "noc", api.RoleOperator, "noc-password-1")
	f.signIn(t, "noc", "noc-password-1")
	s := screenOf[*staffScreen](t, f)
	f.tapOn(t, s, "Set up two-factor sign-in")
	secret := dialogWidget(t, f, func(l *widget.Label) bool { return l.TextStyle.Monospace }).Text
	dialogWidget(t, f, func(*canvas.Image) bool { return true }) // the QR code
	code, err := totp.GenerateCode(secret, time.Now())
	if err != nil {
		t.Fatalf("secret %q: %v", secret, err)
	}
	entry := dialogWidget(t, f, func(*widget.Entry) bool { return true })
	f.ui(func() { test.Type(entry, code) })
	f.tapDialog(t, "Confirm")
	codes := dialogWidget(t, f, func(l *widget.Label) bool { return l.TextStyle.Monospace && strings.Count(l.Text, "\n") == 9 })
	var mine, shown string
	f.ui(func() { mine, shown = s.mine.Text, codes.Text })
	if !strings.Contains(mine, "on") {
		t.Errorf("outcome %q, want two-factor on", mine)
	}
	me, _ := f.srv.Admin.Admins(ctx(t))
	for _, a := range me {
		if a.Login == "noc" && !a.TOTPEnabled {
			t.Errorf("on the server: %+v, want TOTP enabled (recovery codes shown: %q)", a, shown)
		}
	}
}
