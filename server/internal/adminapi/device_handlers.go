package adminapi

import (
	"context"
	"net/http"
	"strconv"

	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// DeviceStore keeps subscribers' set-top boxes; *store.Store is one.
type DeviceStore interface {
	FindDeviceByID(ctx context.Context, id int64) (api.Device, error)
	FindDevices(ctx context.Context, subscriberID int64) ([]api.Device, error)
	CreateDevice(ctx context.Context, actor api.Actor, d api.Device) (api.Device, error)
	UpdateDevice(ctx context.Context, actor api.Actor, id int64, u api.DeviceUpdate) (api.Device, error)
	ResetDeviceLock(ctx context.Context, actor api.Actor, id int64) (api.Device, error)
	DeleteDevice(ctx context.Context, actor api.Actor, id int64) error
}

// registerDevices mounts the device routes on the staff group: a device
// is a credential of its subscriber (its MAC signs in), so only staff
// manage them for now.
func (a *API) registerDevices(staff *gin.RouterGroup) {
	g := staff.Group("", a.requireService(a.Devices != nil, "devices"))
	g.GET("/devices", a.handleDeviceList)
	g.POST("/devices", a.handleDeviceCreate)
	g.GET("/devices/:id", a.handleDeviceGet)
	g.PATCH("/devices/:id", a.handleDeviceUpdate)
	g.DELETE("/devices/:id", a.handleDeviceDelete)
	g.POST("/devices/:id/reset-lock", a.handleDeviceResetLock)
}

var deviceDocs = []routeDoc{
	{Method: "GET", Path: "/devices", Summary: "A subscriber's set-top boxes (MAG devices), with last seen, model and firmware", Query: []string{"subscriber_id"}, Response: []api.Device{}},
	{Method: "POST", Path: "/devices", Summary: "Give a subscriber a device by MAC (optionally serial, device ids, locked)", Request: api.Device{}, Response: api.Device{}, Status: http.StatusCreated},
	{Method: "GET", Path: "/devices/:id", Summary: "One device", Response: api.Device{}},
	{Method: "PATCH", Path: "/devices/:id", Summary: "Lock or unlock a device, or correct its ids", Request: api.DeviceUpdate{}, Response: api.Device{}},
	{Method: "DELETE", Path: "/devices/:id", Summary: "Remove a device; its box is refused from then on", Status: http.StatusNoContent},
	{Method: "POST", Path: "/devices/:id/reset-lock", Summary: "Clear the ids captured from the box, so its next boot captures them again (a replaced box)", Response: api.Device{}},
}

// handleDeviceList answers GET /devices?subscriber_id=N. Not under
// /subscribers/{id}, where resellers reach their own subscribers: devices are
// staff-only for now.
func (a *API) handleDeviceList(c *gin.Context) {
	id, err := strconv.ParseInt(c.Query("subscriber_id"), 10, 64)
	if err != nil || id <= 0 {
		a.writeError(c, &api.Error{Code: api.CodeInvalid, Message: "invalid query parameter",
			Fields: map[string]string{"subscriber_id": "must be a positive integer"}})
		return
	}
	v, err := a.Devices.FindDevices(c, id)
	if v == nil && err == nil {
		v = []api.Device{}
	}
	a.reply(c, http.StatusOK, v, err)
}

func (a *API) handleDeviceGet(c *gin.Context) {
	if id, ok := a.pathID(c, "id"); ok {
		v, err := a.Devices.FindDeviceByID(c, id)
		a.reply(c, http.StatusOK, v, err)
	}
}

func (a *API) handleDeviceCreate(c *gin.Context) {
	var in api.Device
	if a.bindJSON(c, &in) {
		v, err := a.Devices.CreateDevice(c, currentActor(c), in)
		a.reply(c, http.StatusCreated, v, err)
	}
}

func (a *API) handleDeviceUpdate(c *gin.Context) {
	var u api.DeviceUpdate
	if id, ok := a.pathID(c, "id"); ok && a.bindJSON(c, &u) {
		v, err := a.Devices.UpdateDevice(c, currentActor(c), id, u)
		a.reply(c, http.StatusOK, v, err)
	}
}

func (a *API) handleDeviceResetLock(c *gin.Context) {
	if id, ok := a.pathID(c, "id"); ok {
		v, err := a.Devices.ResetDeviceLock(c, currentActor(c), id)
		a.reply(c, http.StatusOK, v, err)
	}
}

func (a *API) handleDeviceDelete(c *gin.Context) {
	if id, ok := a.pathID(c, "id"); ok {
		a.reply(c, http.StatusNoContent, nil, a.Devices.DeleteDevice(c, currentActor(c), id))
	}
}
