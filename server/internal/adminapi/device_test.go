package adminapi_test

import (
	"errors"
	"strconv"
	"testing"

	"canale/server/internal/testserver"
	"canale/shared/api"
)

// TestDevices manages a subscriber's MAG device through the typed client:
// add by MAC (normalized; a bad or taken MAC refused naming the field),
// lock, reset the lock, delete, each audited; operators read but do not
// write.
func TestDevices(t *testing.T) {
	srv := testserver.Start(t)
	ctx := t.Context()
	c := srv.Admin
	sub, err := c.CreateSubscriber(ctx, api.Subscriber{Login: "viewer", Password: "viewer-password-1", Status: "active"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateDevice(ctx, api.Device{SubscriberID: sub.ID, MAC: "00:1A:79:12:34"}); api.ErrorCode(err) != api.CodeInvalid ||
		!fieldNamed(err, "mac") {
		t.Fatalf("short MAC: %v, want invalid naming mac", err)
	}
	if _, err := c.CreateDevice(ctx, api.Device{SubscriberID: sub.ID + 1000, MAC: "00:1A:79:12:34:56"}); api.ErrorCode(err) != api.CodeInvalid {
		t.Fatalf("unknown subscriber: %v, want invalid", err)
	}
	d, err := c.CreateDevice(ctx, api.Device{SubscriberID: sub.ID, MAC: "00-1a-79-12-34-56", Serial: "062014N000001"})
	if err != nil || d.MAC != "00:1A:79:12:34:56" || d.Locked {
		t.Fatalf("create: %+v, %v", d, err)
	}
	if _, err := c.CreateDevice(ctx, api.Device{SubscriberID: sub.ID, MAC: "001A79123456"}); api.ErrorCode(err) != api.CodeConflict ||
		!fieldNamed(err, "mac") {
		t.Fatalf("taken MAC: %v, want conflict naming mac", err)
	}
	d, err = c.UpdateDevice(ctx, d.ID, api.DeviceUpdate{Locked: ptr(true), Version: d.Version})
	if err != nil || !d.Locked {
		t.Fatalf("lock: %+v, %v", d, err)
	}
	if _, err := c.UpdateDevice(ctx, d.ID, api.DeviceUpdate{Locked: ptr(false), Version: d.Version - 1}); api.ErrorCode(err) != api.CodeConflict {
		t.Fatalf("stale update: %v, want conflict", err)
	}
	d, err = c.ResetDeviceLock(ctx, d.ID)
	if err != nil || d.Serial != "" || !d.Locked {
		t.Fatalf("reset lock: %+v, %v; want the serial cleared and the lock kept", d, err)
	}
	if _, err := c.Devices(ctx, 0); api.ErrorCode(err) != api.CodeInvalid || !fieldNamed(err, "subscriber_id") {
		t.Fatalf("devices of subscriber 0: %v, want invalid naming subscriber_id", err)
	}
	list, err := c.Devices(ctx, sub.ID)
	if err != nil || len(list) != 1 || list[0].ID != d.ID {
		t.Fatalf("devices: %+v, %v", list, err)
	}

	_, err = c.CreateAdmin(ctx, api.AdminCreate{Login: "noc", Password: "noc-password-1", Role: api.RoleOperator})
	if err != nil {
		t.Fatal(err)
	}
	op := srv.SignIn(t, "noc", "noc-password-1")
	if got, err := op.Device(ctx, d.ID); err != nil || got.ID != d.ID {
		t.Fatalf("operator reads a device: %+v, %v", got, err)
	}
	if _, err := op.ResetDeviceLock(ctx, d.ID); api.ErrorCode(err) != api.CodeForbidden {
		t.Fatalf("operator resets a lock: %v, want forbidden", err)
	}

	if err := c.DeleteDevice(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Device(ctx, d.ID); api.ErrorCode(err) != api.CodeNotFound {
		t.Fatalf("deleted device: %v", err)
	}
	auditPage, err := c.Audit(ctx, api.AuditFilter{Entity: api.EntityDevice, EntityID: strconv.FormatInt(d.ID, 10)}, api.ListParams{})
	audit := auditPage.Items
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range audit {
		actions = append(actions, e.Action)
	}
	if want := []string{"delete", string(api.OpDeviceResetLock), "update", "create"}; len(actions) != 4 || actions[0] != want[0] ||
		actions[1] != want[1] || actions[2] != want[2] || actions[3] != want[3] {
		t.Fatalf("audit of the device: %v, want %v", actions, want)
	}
}

func fieldNamed(err error, field string) bool {
	var e *api.Error
	return errors.As(err, &e) && e.Fields[field] != ""
}
