package stalker_test

import (
	"testing"
	"time"

	"canale/shared/api"
)

// waitFor polls cond until it holds or d passes (a change event crosses
// PostgreSQL's LISTEN before the portal drops its cached device).
func waitFor(d time.Duration, cond func() bool) bool {
	for end := time.Now().Add(d); ; time.Sleep(50 * time.Millisecond) {
		if cond() {
			return true
		}
		if time.Now().After(end) {
			return false
		}
	}
}

// TestLockingEndsACloneSession: a clone that booted on an unlocked MAC is
// cut off when the operator locks the device (its serial differs from the
// one captured from the real box), without waiting for the clone to boot
// again: a box is checked against the lock only at boot, and a clone that
// keeps calling would otherwise keep its sliding session for good. The real
// box boots again and plays on.
func TestLockingEndsACloneSession(t *testing.T) {
	p := newPortal(t)
	ctx := t.Context()
	dev := p.device(t, "alice", aliceMAC, false)
	real := newBox(t, p.srv.URL, aliceMAC)
	if pr := real.boot(); pr.Status != 0 { // captures the real serial
		t.Fatalf("real box: %+v", pr)
	}
	clone := newBox(t, p.srv.URL, aliceMAC)
	clone.sn = "062014N999999"
	if pr := clone.boot(); pr.Status != 0 {
		t.Fatalf("clone on an unlocked MAC: %+v, want it in (the lock is off)", pr)
	}
	dev, err := p.srv.Store.FindDeviceByID(ctx, dev.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.srv.Store.UpdateDevice(ctx, api.SystemActor("test"), dev.ID,
		api.DeviceUpdate{Locked: ptr(true), Version: dev.Version}); err != nil {
		t.Fatal(err)
	}
	var last string
	if !waitFor(5*time.Second, func() bool {
		last = clone.call("itv", "get_genres")
		return last == "Authorization failed."
	}) {
		t.Fatalf("the clone keeps its session after the device was locked: %.120s", last)
	}
	if pr := clone.boot(); pr.Status != 1 {
		t.Fatalf("clone booting again on the locked device: %+v, want refused", pr)
	}
	if pr := real.boot(); pr.Status != 0 {
		t.Fatalf("real box after the lock: %+v, want it in", pr)
	}
	var genres []any
	real.js(&genres, "itv", "get_genres")

	// Unlocking lets more boxes in, so it ends no session.
	if dev, err = p.srv.Store.FindDeviceByID(ctx, dev.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := p.srv.Store.UpdateDevice(ctx, api.SystemActor("test"), dev.ID,
		api.DeviceUpdate{Locked: ptr(false), Version: dev.Version}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond) // let the change event arrive
	real.js(&genres, "itv", "get_genres")
}
