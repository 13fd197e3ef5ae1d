package ui

import (
	"context"
	"time"

	"canale/desktop/internal/session"
	"canale/shared/api"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// statusBar shows who is signed in where and whether events are live.
type statusBar struct {
	w       *Window
	state   *widget.Label
	account *widget.Label
	signOut *widget.Button
	about   *widget.Button
	ui      fyne.CanvasObject
}

func newStatusBar(w *Window) *statusBar {
	b := &statusBar{w: w, account: &widget.Label{},
		state: &widget.Label{Text: session.StateOffline.String(), Truncation: fyne.TextTruncateEllipsis}}
	b.signOut = &widget.Button{Text: "Sign out", Icon: theme.LogoutIcon(), Importance: widget.LowImportance, OnTapped: b.onSignOut}
	b.about = newAboutButton(w, "About")
	return b
}

func (b *statusBar) buildUI() fyne.CanvasObject {
	if b.ui == nil {
		b.ui = container.NewBorder(nil, nil, nil, container.NewHBox(b.account, b.about, b.signOut), b.state)
	}
	return b.ui
}

func (b *statusBar) signedIn(me api.Me) {
	b.account.SetText(me.Admin.Login + " (" + string(me.Admin.Role) + ") on " + b.w.sess.API().BaseURL() +
		", Canale " + me.ServerVersion)
}

// setState shows the event stream's state; a broken stream says why.
func (b *statusBar) setState(st session.State, err error) {
	text := "● " + st.String()
	if st == session.StateReconnecting && err != nil {
		text += " (" + err.Error() + ")"
	}
	b.state.Importance = widget.MediumImportance
	switch st {
	case session.StateConnected:
		b.state.Importance = widget.SuccessImportance
	case session.StateReconnecting, session.StateOffline:
		b.state.Importance = widget.WarningImportance
	}
	b.state.SetText(text)
}

func (b *statusBar) onSignOut() {
	b.w.async(func() func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = b.w.sess.Logout(ctx) // the token is forgotten locally even if the server is away
		return func() { b.w.showConnect(nil) }
	})
}
