package ui

import (
	"errors"

	"canale/desktop/internal/session"
	"canale/shared/api"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// connectScreen asks for the server and credentials.
type connectScreen struct {
	w        *Window
	server   *widget.SelectEntry
	login    *widget.Entry
	password *widget.Entry
	code     *widget.Entry // the second factor, asked for when the server wants it
	codeRow  *fyne.Container
	signIn   *widget.Button
	errText  *widget.Label
	ui       fyne.CanvasObject
}

func newConnectScreen(w *Window) *connectScreen {
	s := &connectScreen{w: w}
	s.server = widget.NewSelectEntry(nil)
	s.server.PlaceHolder = "e.g. https://iptv.example.com"
	s.server.OnChanged = s.onServerChanged
	s.login = &widget.Entry{PlaceHolder: "login"}
	s.password = widget.NewPasswordEntry()
	s.password.OnSubmitted = func(string) { s.onSignIn() }
	s.code = &widget.Entry{PlaceHolder: "e.g. 123456, or a recovery code", OnSubmitted: func(string) { s.onSignIn() }}
	s.codeRow = container.NewVBox(&widget.Label{Text: "Authenticator code"}, s.code)
	s.codeRow.Hide()
	s.signIn = &widget.Button{Text: "Sign in", Importance: widget.HighImportance, OnTapped: s.onSignIn}
	s.errText = &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord}
	s.loadServers()
	return s
}

func (s *connectScreen) buildUI() fyne.CanvasObject {
	if s.ui != nil {
		return s.ui
	}
	form := &widget.Form{Items: []*widget.FormItem{
		{Text: "Server", Widget: s.server},
		{Text: "Login", Widget: s.login},
		{Text: "Password", Widget: s.password},
	}}
	title := &widget.Label{Text: "Canale NOC: sign in", TextStyle: fyne.TextStyle{Bold: true}, Alignment: fyne.TextAlignCenter}
	box := container.NewVBox(title, form, s.codeRow, s.signIn, s.errText, newAboutButton(s.w, "About Canale Admin"))
	s.ui = container.NewCenter(container.NewGridWrap(fyne.NewSize(460, box.MinSize().Height+80), box))
	return s.ui
}

// loadServers offers the remembered servers and fills in the last one.
func (s *connectScreen) loadServers() {
	servers := s.w.sess.Servers()
	urls := make([]string, len(servers))
	for i, sv := range servers {
		urls[i] = sv.URL
	}
	s.server.SetOptions(urls)
	if len(servers) > 0 {
		s.server.SetText(servers[0].URL)
	}
}

func (s *connectScreen) onServerChanged(url string) {
	for _, sv := range s.w.sess.Servers() {
		if sv.URL == url {
			s.login.SetText(sv.Login)
		}
	}
}

func (s *connectScreen) showError(err error) {
	if err == nil {
		s.errText.SetText("")
		return
	}
	s.errText.SetText(message(err))
}

func (s *connectScreen) onSignIn() { s.signInWith("") }

// signInWith signs in, pinning fingerprint if the user has just trusted it.
func (s *connectScreen) signInWith(fingerprint string) {
	cr := session.Credentials{ServerURL: s.server.Text, Login: s.login.Text, Password: s.password.Text,
		TrustFingerprint: fingerprint, Code: s.code.Text}
	s.signIn.Disable()
	s.errText.SetText("Signing in…")
	s.w.async(func() func() {
		ctx, cancel := callCtx()
		defer cancel()
		me, err := s.w.sess.Login(ctx, cr)
		return func() { s.onSignInDone(me, err) }
	})
}

func (s *connectScreen) onSignInDone(me api.Me, err error) {
	s.signIn.Enable()
	var untrusted *session.UntrustedCertError
	switch {
	case errors.As(err, &untrusted):
		s.errText.SetText("")
		newTrustDialog(s.w.win, untrusted, func() { s.signInWith(untrusted.Fingerprint) }).Show()
	case errors.Is(err, session.ErrCodeNeeded):
		s.codeRow.Show()
		s.w.win.Canvas().Focus(s.code)
		s.showError(err)
	case err != nil:
		s.code.SetText("") // a code works once: the next try needs a new one
		s.showError(err)
	default:
		s.password.SetText("")
		s.code.SetText("")
		s.codeRow.Hide()
		s.errText.SetText("")
		s.loadServers()
		s.w.showMain(me)
	}
}

// newTrustDialog shows a certificate's fingerprint and calls onTrust if the
// user confirms it is the server's.
func newTrustDialog(win fyne.Window, e *session.UntrustedCertError, onTrust func()) dialog.Dialog {
	intro := "This computer does not trust the certificate of " + e.Host + ". If the server uses a self-signed " +
		"certificate, compare this SHA-256 fingerprint with the one the server shows, and trust it only if they match."
	if e.Changed {
		intro = "WARNING: the certificate of " + e.Host + " is not the one you trusted before. Someone may be " +
			"intercepting the connection. Trust the new certificate only if the server's administrator changed it."
	}
	fp := &widget.Label{Text: e.Fingerprint, TextStyle: fyne.TextStyle{Monospace: true}, Wrapping: fyne.TextWrapBreak, Selectable: true}
	content := container.NewVBox(&widget.Label{Text: intro, Wrapping: fyne.TextWrapWord}, fp)
	d := dialog.NewCustomConfirm("Untrusted certificate", "Trust this certificate", "Cancel", content,
		func(ok bool) {
			if ok {
				onTrust()
			}
		}, win)
	d.Resize(fyne.NewSize(520, 300))
	return d
}

// Prefill fills in the connect screen, from the environment of a scripted
// start (make run-desktop, make desktop-shot); with a password it signs in
// at once.
func (w *Window) Prefill(server, login, password string) {
	c := w.connect
	if server != "" {
		c.server.SetText(server)
	}
	if login != "" {
		c.login.SetText(login)
	}
	if password != "" {
		c.password.SetText(password)
		c.onSignIn()
	}
}
