package resellerpanel

import (
	"context"
	"net/http"
	"strconv"

	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// devices lists the line's set-top boxes for its page; a failure shows
// none (logged) rather than no page.
func (p *Panel) devices(c *gin.Context, sub api.Subscriber) []api.Device {
	out, err := p.deps.Store.FindDevices(c.Request.Context(), sub.ID)
	if err != nil {
		p.deps.Logger.WarnContext(c, "reseller panel: list devices", "subscriber_id", sub.ID, "error", err)
	}
	return out
}

// handleDeviceAdd gives the line a MAG box by its MAC.
func (p *Panel) handleDeviceAdd(c *gin.Context) {
	sub, ok := p.line(c)
	if !ok || !p.mayAddDevice(c) {
		return
	}
	d := api.Device{SubscriberID: sub.ID, MAC: c.PostForm("mac"), Locked: c.PostForm("locked") == "on"}
	if _, err := p.deps.Store.CreateDevice(c.Request.Context(), current(c).actor(c), d); err != nil {
		p.noteDeviceAdd(c, err)
		p.refused(c, err)
		return
	}
	p.lineDone(c, sub.ID, "Device+added")
}

// lineDevice finds the line in the path and its device; a device of any
// other line is "not found".
func (p *Panel) lineDevice(c *gin.Context) (api.Subscriber, api.Device, bool) {
	sub, ok := p.line(c)
	if !ok {
		return sub, api.Device{}, false
	}
	id, err := strconv.ParseInt(c.Param("device"), 10, 64)
	var d api.Device
	if err == nil {
		d, err = p.deps.Store.FindDeviceByID(c.Request.Context(), id)
	}
	if err != nil || d.SubscriberID != sub.ID {
		p.problem(c, http.StatusNotFound, "Device not found", "This device does not exist or is not on this line.")
		return sub, d, false
	}
	return sub, d, true
}

// onDevice runs a change to the device in the path, on the line in the
// path, and goes back to the line page saying done.
func (p *Panel) onDevice(c *gin.Context, done string, change func(ctx context.Context, actor api.Actor, d api.Device) error) {
	sub, d, ok := p.lineDevice(c)
	if !ok {
		return
	}
	if err := change(c.Request.Context(), current(c).actor(c), d); err != nil {
		p.refused(c, err)
		return
	}
	p.lineDone(c, sub.ID, done)
}

// handleDeviceLock locks (locked=on) or unlocks a box: a locked box that
// boots with other ids than it first reported is refused.
func (p *Panel) handleDeviceLock(c *gin.Context) {
	locked := c.PostForm("locked") == "on"
	p.onDevice(c, "Device+saved", func(ctx context.Context, actor api.Actor, d api.Device) error {
		_, err := p.deps.Store.UpdateDevice(ctx, actor, d.ID, api.DeviceUpdate{Locked: &locked, Version: d.Version})
		return err
	})
}

// handleDeviceResetLock clears the ids captured from the box, for a
// customer who replaced a broken box but kept its MAC.
func (p *Panel) handleDeviceResetLock(c *gin.Context) {
	p.onDevice(c, "Device+lock+reset", func(ctx context.Context, actor api.Actor, d api.Device) error {
		_, err := p.deps.Store.ResetDeviceLock(ctx, actor, d.ID)
		return err
	})
}

func (p *Panel) handleDeviceDelete(c *gin.Context) {
	p.onDevice(c, "Device+removed", func(ctx context.Context, actor api.Actor, d api.Device) error {
		return p.deps.Store.DeleteDevice(ctx, actor, d.ID)
	})
}
