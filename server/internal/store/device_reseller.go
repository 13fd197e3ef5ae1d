package store

import (
	"context"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

// checkDeviceOwner lets a reseller touch only the devices of its own lines,
// whatever surface calls (the reseller panel today): a device of anyone
// else's line is CodeNotFound naming "subscriber_id", as another's line
// is. An operator passes. It runs inside the write's transaction.
func checkDeviceOwner(ctx context.Context, tx pgx.Tx, actor api.Actor, subscriberID int64) error {
	if actor.Kind != api.KindReseller {
		return nil
	}
	var owner *int64
	err := tx.QueryRow(ctx, `SELECT reseller_id FROM subscribers WHERE id = $1`, subscriberID).Scan(&owner)
	if err != nil && err != pgx.ErrNoRows {
		return err
	}
	if owner == nil || *owner != actor.ID {
		return &api.Error{Code: api.CodeNotFound, Message: "no such line",
			Fields: map[string]string{"subscriber_id": "no line of yours has this id"}}
	}
	return nil
}

// checkResellerDeviceUpdate keeps a reseller to the lock: the ids a box
// reports are captured from the box (or cleared with a lock reset), not
// typed in by a reseller, who could otherwise clone a box onto a line.
func checkResellerDeviceUpdate(actor api.Actor, u api.DeviceUpdate) error {
	if actor.Kind != api.KindReseller {
		return nil
	}
	for field, set := range map[string]bool{"serial": u.Serial != nil, "device_id": u.DeviceID != nil,
		"device_id2": u.DeviceID2 != nil, "hw_version": u.HWVersion != nil} {
		if set {
			return forbidden(field, "a box's ids are captured from the box; reset the lock instead")
		}
	}
	return nil
}
