package store

import "context"

// ImportDevice is a set-top box of the source panel, attached to an
// imported subscriber. ID is the panel's mag_id: given ids, unlike ones
// drawn from the sequence, leave a rolled-back (dry run) import without a
// trace. A Locked device with empty ids captures them on its first boot,
// as a new one does.
type ImportDevice struct {
	ID           int64
	SubscriberID int64
	MAC          string
	Serial       string
	DeviceID     string
	DeviceID2    string
	Model        string
	Firmware     string
	Locked       bool
}

// Devices loads devices. Their subscribers must be loaded first; a
// replacing import has already emptied devices with the subscribers
// (TRUNCATE … CASCADE).
func (ci *CatalogImport) Devices(ctx context.Context, rows []ImportDevice) error {
	return ci.copy(ctx, "devices", []string{"id", "subscriber_id", "mac", "serial", "device_id", "device_id2", "model",
		"firmware", "locked"}, len(rows),
		func(i int) []any {
			r := rows[i]
			return []any{r.ID, r.SubscriberID, r.MAC, r.Serial, r.DeviceID, r.DeviceID2, r.Model, r.Firmware, r.Locked}
		})
}
