// Package ui is the desktop app's Fyne interface: a window that shows the
// connect screen until sign-in and then the screens in a sidebar, with a
// status bar for the event stream. It does not import fyne.io/fyne/v2/app,
// so it is tested headless with Fyne's test driver and CGO_ENABLED=0.
//
// To add a screen: write x.go with an unexported xScreen struct, a
// newXScreen(w *Window) constructor and buildUI() fyne.CanvasObject; add
// onEvent(api.Event) if it follows server events, and create edit controls
// with w.editButton so read-only roles never see them; then add one line to
// Window.screenSpecs.
package ui
