package adminapi_test

import (
	"strconv"
	"strings"
	"testing"

	"canale/server/internal/testserver"
	"canale/shared/api"
)

// TestOperatorReadsNoDeviceSecrets: a read-only operator must not be able
// to impersonate a subscriber, and a device's MAC is all an unlocked box
// needs to sign in to the Stalker portal (its ids all a locked one needs).
// The operator reads devices, lists and their audit without them; the
// admin, who hands them out, still reads them.
func TestOperatorReadsNoDeviceSecrets(t *testing.T) {
	srv := testserver.Start(t)
	ctx := t.Context()
	c := srv.Admin
	sub, err := c.CreateSubscriber(ctx, api.Subscriber{Login: "viewer", Password: "viewer-password-1", Status: "active"})
	if err != nil {
		t.Fatal(err)
	}
	const mac, serial, devID = "00:1A:79:AB:CD:EF", "062014N424242", "D1D1D1D1"
	d, err := c.CreateDevice(ctx, api.Device{SubscriberID: sub.ID, MAC: mac, Serial: serial, DeviceID: devID})
	if err != nil {
		t.Fatal(err)
	}
	if d, err = c.UpdateDevice(ctx, d.ID, api.DeviceUpdate{Locked: ptr(true), Version: d.Version}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateAdmin(ctx, api.AdminCreate{Login: "noc", Password: "noc-password-1", Role: api.RoleOperator}); err != nil {
		t.Fatal(err)
	}
	op := srv.SignIn(t, "noc", "noc-password-1")

	leaks := func(what string, s string) {
		t.Helper()
		for _, secret := range []string{"AB:CD:EF", "ABCDEF", serial, devID} {
			if strings.Contains(strings.ToUpper(s), strings.ToUpper(secret)) {
				t.Errorf("operator's %s shows %q: %s", what, secret, s)
			}
		}
	}
	got, err := op.Device(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	leaks("device", got.MAC+" "+got.Serial+" "+got.DeviceID)
	if got.ID != d.ID || !got.Locked || got.DeviceID2 != "" || !strings.HasPrefix(got.MAC, "00:1A:79:") {
		t.Errorf("operator's device %+v: want the rest of it, the vendor prefix and an uncaptured id left empty", got)
	}
	list, err := op.Devices(ctx, sub.ID)
	if err != nil || len(list) != 1 {
		t.Fatalf("operator's list: %+v, %v", list, err)
	}
	leaks("device list", list[0].MAC+" "+list[0].Serial+" "+list[0].DeviceID)
	audit, err := op.Audit(ctx, api.AuditFilter{Entity: api.EntityDevice, EntityID: strconv.FormatInt(d.ID, 10)}, api.ListParams{})
	if err != nil || len(audit.Items) != 2 {
		t.Fatalf("operator's audit of the device: %d entries, %v", len(audit.Items), err)
	}
	for _, e := range audit.Items {
		leaks("audit "+e.Action, string(e.Before)+string(e.After))
	}

	mine, err := c.Device(ctx, d.ID)
	if err != nil || mine.MAC != mac || mine.Serial != serial || mine.DeviceID != devID {
		t.Errorf("admin's device %+v, %v: want the MAC and ids", mine, err)
	}
}
