package ui

import (
	"errors"
	"strings"

	"canale/shared/api"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
	"rsc.io/qr"
)

var errSelectFirst = errors.New("select an account in the list first")

// newTOTPDialog shows the enrolment's QR code and secret, and calls onCode
// with the code the user types from the authenticator app.
func newTOTPDialog(win fyne.Window, e api.TOTPEnrolment, onCode func(code string)) dialog.Dialog {
	intro := &widget.Label{Wrapping: fyne.TextWrapWord, Text: "Scan this code with an authenticator app (or type the " +
		"secret into it), then enter the six digits it shows. The secret is shown only now."}
	var qrImage fyne.CanvasObject = &widget.Label{Text: "(QR code unavailable)"}
	if code, err := qr.Encode(e.URL, qr.M); err == nil {
		// PNG, not Image: the library's Image draws unscaled modules in a
		// scaled frame, which renders as a speck in a corner.
		img := canvas.NewImageFromResource(fyne.NewStaticResource("totp-qr.png", code.PNG()))
		img.FillMode, img.ScaleMode = canvas.ImageFillContain, canvas.ImageScalePixels
		img.SetMinSize(fyne.NewSize(200, 200))
		qrImage = img
	}
	secret := &widget.Label{Text: e.Secret, TextStyle: fyne.TextStyle{Monospace: true}, Selectable: true, Alignment: fyne.TextAlignCenter}
	code := &widget.Entry{PlaceHolder: "e.g. 123456"}
	content := container.NewVBox(intro, container.NewCenter(qrImage), secret, code)
	d := dialog.NewCustomConfirm("Set up two-factor sign-in", "Confirm", "Cancel", content, func(ok bool) {
		if ok {
			onCode(strings.TrimSpace(code.Text))
		}
	}, win)
	d.Resize(fyne.NewSize(420, 460))
	return d
}

// newRecoveryCodesDialog shows the recovery codes, the only time they are.
func newRecoveryCodesDialog(win fyne.Window, codes []string) dialog.Dialog {
	intro := &widget.Label{Wrapping: fyne.TextWrapWord, Text: "Keep these recovery codes somewhere safe. Each signs in " +
		"once without your phone. They are not shown again."}
	list := &widget.Label{Text: strings.Join(codes, "\n"), TextStyle: fyne.TextStyle{Monospace: true}, Selectable: true}
	d := dialog.NewCustom("Recovery codes", "I have saved them", container.NewVBox(intro, list), win)
	d.Resize(fyne.NewSize(420, 420))
	return d
}
