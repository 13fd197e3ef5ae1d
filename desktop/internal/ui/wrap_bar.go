package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
)

// wrapBar is a toolbar whose buttons flow onto a second row when the pane
// is narrower than the row, so a pane never needs a sideways scroll for
// its actions. Like toolbar, it leaves out the nil buttons of the actions
// a read-only role does not get.
func wrapBar(objs ...fyne.CanvasObject) *fyne.Container {
	return container.New(layout.NewRowWrapLayout(), present(objs)...)
}
