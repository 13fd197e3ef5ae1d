package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
)

// The helpers here keep a screen as narrow as a 1280×800 laptop leaves it
// (about 1100 px beside the sidebar), so no pane needs a sideways scroll.

// wrapBar is a toolbar whose buttons flow onto a second row when the pane
// is narrower than the row. Like toolbar, it leaves out the nil buttons of
// the actions a read-only role does not get.
func wrapBar(objs ...fyne.CanvasObject) *fyne.Container {
	return container.New(layout.NewRowWrapLayout(), present(objs)...)
}

// tall gives o (a table or list, which scrolls itself) a height of at
// least h but asks for no more width than o does, so it takes the width
// of its pane instead of a fixed one that may not fit.
func tall(h float32, o fyne.CanvasObject) *fyne.Container {
	return container.New(minHeight(h), o)
}

type minHeight float32

func (h minHeight) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s.Max(fyne.NewSize(0, float32(h)))
}

func (minHeight) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}
