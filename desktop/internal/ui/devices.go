package ui

import (
	"context"
	"strings"

	"canale/shared/api"
	"canale/shared/client"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// devicePanel lists a subscriber's set-top boxes (MAG devices) inside the
// subscriber form: add one by MAC, lock it to the ids its first boot
// reported or unlock it, reset the lock when a box is replaced, remove it;
// with the model, firmware and when each was last seen.
type devicePanel struct {
	w        *Window
	subID    int64
	devices  []api.Device
	selected *api.Device

	mac     *widget.Entry
	table   *fitTable
	outcome *widget.Label
	ui      fyne.CanvasObject
}

var deviceColumns = []textColumn[api.Device]{
	{"MAC", 140, func(d api.Device) string { return d.MAC }},
	{"Locked", 60, func(d api.Device) string { return map[bool]string{true: "locked", false: "—"}[d.Locked] }},
	{"Model", 80, func(d api.Device) string { return d.Model }},
	{"Serial", 110, func(d api.Device) string { return d.Serial }},
	{"Firmware", 160, func(d api.Device) string { return d.Firmware }},
	{"Last seen", 120, func(d api.Device) string { return formatTime(d.LastSeenAt) }},
	{"Address", 110, func(d api.Device) string { return d.LastIP }},
}

func newDevicePanel(w *Window) *devicePanel {
	p := &devicePanel{w: w, mac: &widget.Entry{PlaceHolder: "e.g. 00:1A:79:12:34:56"}, outcome: statusLabel()}
	p.table = newTextTable(deviceColumns, func() []api.Device { return p.devices }, func(d api.Device) { p.selected = &d })
	return p
}

func (p *devicePanel) buildUI() fyne.CanvasObject {
	if p.ui != nil {
		return p.ui
	}
	add := toolbar(p.w.editButton("Add device", theme.ContentAddIcon(), p.onAdd))
	actions := wrapBar(p.w.editButton("Lock", theme.VisibilityOffIcon(), func() { p.setLocked(true) }),
		p.w.editButton("Unlock", theme.VisibilityIcon(), func() { p.setLocked(false) }),
		p.w.editButton("Reset lock", theme.ViewRefreshIcon(), p.onResetLock),
		p.w.editButton("Remove device", theme.DeleteIcon(), p.onRemove))
	p.ui = container.NewVBox(&widget.Label{Text: "Set-top boxes (MAG)", TextStyle: fyne.TextStyle{Bold: true}},
		container.NewBorder(nil, nil, nil, add, p.mac), tall(120, p.table),
		actions, p.outcome)
	return p.ui
}

// show opens subscriber id's devices; 0 (a subscriber being created) none.
func (p *devicePanel) show(id int64) {
	p.outcome.SetText("")
	p.load(id)
}

// load reads the devices again, keeping the outcome of the last change.
func (p *devicePanel) load(id int64) {
	p.subID, p.selected = id, nil
	p.table.UnselectAll() // the rows change; a stale selection would not fire again
	if id == 0 {
		p.devices = nil
		p.table.Refresh()
		return
	}
	p.w.async(func() func() {
		ctx, cancel := callCtx()
		defer cancel()
		c := p.w.sess.API()
		if c == nil {
			return func() {}
		}
		ds, err := c.Devices(ctx, id)
		return func() {
			if p.subID != id {
				return
			}
			if err != nil {
				showOutcome(p.outcome, "", err)
				return
			}
			p.devices = ds
			p.table.Refresh()
		}
	})
}

func (p *devicePanel) onAdd() {
	id, mac := p.subID, strings.TrimSpace(p.mac.Text)
	if id == 0 {
		showOutcome(p.outcome, "", api.Errorf(api.CodeInvalid, "save the subscriber first"))
		return
	}
	p.w.call(func(ctx context.Context, c *client.Client) error {
		_, err := c.CreateDevice(ctx, api.Device{SubscriberID: id, MAC: mac})
		return err
	}, func(err error) {
		showOutcome(p.outcome, "Device "+mac+" added.", err)
		if err == nil {
			p.mac.SetText("")
			p.load(id)
		}
	})
}

// change runs fn on the selected device and reloads the list.
func (p *devicePanel) change(ok string, fn func(context.Context, *client.Client, api.Device) error) {
	if p.selected == nil {
		showOutcome(p.outcome, "", api.Errorf(api.CodeInvalid, "select a device first"))
		return
	}
	d, id := *p.selected, p.subID
	p.w.call(func(ctx context.Context, c *client.Client) error { return fn(ctx, c, d) }, func(err error) {
		showOutcome(p.outcome, ok, err)
		p.load(id)
	})
}

func (p *devicePanel) setLocked(on bool) {
	word := map[bool]string{true: "locked", false: "unlocked"}[on]
	p.change("Device "+word+".", func(ctx context.Context, c *client.Client, d api.Device) error {
		_, err := c.UpdateDevice(ctx, d.ID, api.DeviceUpdate{Locked: &on, Version: d.Version})
		return err
	})
}

func (p *devicePanel) onResetLock() {
	p.change("Lock reset: the box's next boot captures its ids again.", func(ctx context.Context, c *client.Client, d api.Device) error {
		_, err := c.ResetDeviceLock(ctx, d.ID)
		return err
	})
}

func (p *devicePanel) onRemove() {
	if p.selected == nil {
		showOutcome(p.outcome, "", api.Errorf(api.CodeInvalid, "select a device first"))
		return
	}
	d, id := *p.selected, p.subID
	p.w.confirmDelete("Remove device", "Remove "+d.MAC+"? The box is refused from then on.",
		func(ctx context.Context, c *client.Client) error { return c.DeleteDevice(ctx, d.ID) },
		func(err error) {
			showOutcome(p.outcome, "Device removed.", err)
			p.load(id)
		})
}
