package ui

import (
	"canale/shared/client"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// onResetTuner gives the subscriber's HDHomeRun tuner a new URL after a
// confirmation: media servers that added the old one lose the tuner, the
// subscriber's players keep working.
func (f *subscriberForm) onResetTuner() {
	f.confirmReset("Reset tuner", "Give "+f.sub.Login+"'s HDHomeRun tuner a new address? Media servers using the current one lose it; playlists keep working.",
		"Reset tuner", "New tuner address issued; the subscriber adds it to their media server again.",
		(*client.Client).ResetSubscriberTuner)
}

// showPackageTuners lists the tuner of each package the subscriber holds,
// by package name, with its URL and a copy button, as the server answered
// them (api.Subscriber.Tuners): the desktop never spells a tuner path. A
// role that may not read tokens gets no URLs, and so no rows.
func (f *subscriberForm) showPackageTuners() {
	var rows []fyne.CanvasObject
	for _, t := range f.sub.Tuners {
		if t.PackageID == nil || t.URL == "" {
			continue
		}
		name := &widget.Label{Text: f.s.packageName(*t.PackageID), TextStyle: fyne.TextStyle{Bold: true}}
		rows = append(rows, container.NewBorder(nil, nil, name, nil, f.w.copyRow(&widget.Label{Text: t.URL})))
	}
	f.packageTuners.Objects = rows
	f.packageTuners.Refresh()
}
