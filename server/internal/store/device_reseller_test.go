package store_test

import (
	"context"
	"testing"

	"canale/shared/api"
)

// TestResellerDevicesOnlyOnOwnLines: a reseller adds, locks, resets and
// removes the MAG devices of its own lines, audited under its name; on
// another reseller's line every one of those is not found and changes
// nothing, and it cannot type a box's ids in.
func TestResellerDevicesOnlyOnOwnLines(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newDealer(t, 10)
	other, err := f.s.CreateReseller(ctx, admin, api.Reseller{Login: "other"}, "h")
	if err != nil {
		t.Fatal(err)
	}
	otherActor := api.Actor{Kind: api.KindReseller, ID: other.ID, Login: "other"}
	theirs, err := f.s.CreateSubscriber(ctx, otherActor, api.Subscriber{Login: "their-line", Password: "pw"})
	if err != nil {
		t.Fatal(err)
	}
	theirBox, err := f.s.CreateDevice(ctx, otherActor, api.Device{SubscriberID: theirs.ID, MAC: "00:1A:79:00:00:02", Serial: "S2"})
	if err != nil {
		t.Fatal(err)
	}

	_, err = f.s.CreateDevice(ctx, f.actor, api.Device{SubscriberID: theirs.ID, MAC: "00:1A:79:00:00:03"})
	if e, ok := err.(*api.Error); !isNotFound(err) || (ok && e.Fields["subscriber_id"] == "") {
		t.Errorf("add a device to another's line: got %v, want not_found naming subscriber_id", err)
	}
	locked := true
	if _, err := f.s.UpdateDevice(ctx, f.actor, theirBox.ID, api.DeviceUpdate{Locked: &locked, Version: theirBox.Version}); !isNotFound(err) {
		t.Errorf("lock another's device: got %v, want not_found", err)
	}
	if _, err := f.s.ResetDeviceLock(ctx, f.actor, theirBox.ID); !isNotFound(err) {
		t.Errorf("reset another's device: got %v, want not_found", err)
	}
	if err := f.s.DeleteDevice(ctx, f.actor, theirBox.ID); !isNotFound(err) {
		t.Errorf("remove another's device: got %v, want not_found", err)
	}
	if now, err := f.s.FindDeviceByID(ctx, theirBox.ID); err != nil || now.Version != theirBox.Version || now.Serial != "S2" || now.Locked {
		t.Errorf("another's device after the attempts: got %+v, %v; want it unchanged", now, err)
	}
	if boxes, _ := f.s.FindDevices(ctx, theirs.ID); len(boxes) != 1 {
		t.Errorf("another's line has %d devices, want 1", len(boxes))
	}

	mine, err := f.s.CreateSubscriber(ctx, f.actor, api.Subscriber{Login: "my-line", Password: "pw"})
	if err != nil {
		t.Fatal(err)
	}
	box, err := f.s.CreateDevice(ctx, f.actor, api.Device{SubscriberID: mine.ID, MAC: "00-1a-79-00-00-01"})
	if err != nil || box.MAC != "00:1A:79:00:00:01" {
		t.Fatalf("add a device to my line: got %+v, %v", box, err)
	}
	serial := "cloned"
	if _, err := f.s.UpdateDevice(ctx, f.actor, box.ID, api.DeviceUpdate{Serial: &serial, Version: box.Version}); api.ErrorCode(err) != api.CodeForbidden {
		t.Errorf("type a serial in: got %v, want forbidden", err)
	}
	if box, err = f.s.UpdateDevice(ctx, f.actor, box.ID, api.DeviceUpdate{Locked: &locked, Version: box.Version}); err != nil || !box.Locked {
		t.Errorf("lock my device: got %+v, %v", box, err)
	}
	if box, err = f.s.ResetDeviceLock(ctx, f.actor, box.ID); err != nil || !box.Locked {
		t.Errorf("reset my device's lock: got %+v, %v", box, err)
	}
	if err := f.s.DeleteDevice(ctx, f.actor, box.ID); err != nil {
		t.Errorf("remove my device: %v", err)
	}
	actPage, err := f.s.FindResellerActivity(ctx, f.dealer.ID, api.ListParams{Limit: 20})
	act := actPage.Items
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range act {
		if e.Entity == api.EntityDevice {
			if e.ActorLogin != "dealer" || e.ClientIP != f.actor.ClientIP {
				t.Errorf("device audit entry %+v: want it by dealer from %s", e, f.actor.ClientIP)
			}
			actions = append(actions, e.Action)
		}
	}
	if want := []string{"delete", string(api.OpDeviceResetLock), "update", "create"}; len(actions) != 4 || actions[0] != want[0] ||
		actions[1] != want[1] || actions[2] != want[2] || actions[3] != want[3] {
		t.Errorf("dealer's device activity: got %v, want %v", actions, want)
	}
}

func isNotFound(err error) bool { return api.ErrorCode(err) == api.CodeNotFound }
