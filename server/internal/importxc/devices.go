package importxc

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"

	"canale/server/internal/store"
	"canale/shared/api"
)

// magTable is XC's and XUI's table of MAG boxes: one row per box, user_id
// the line it plays on (spec xtream.md §2.2).
const magTable = "mag_devices"

// importDevices brings each MAG box across as a device (id = mag_id) of
// its line's subscriber, with its ids and lock, so boxes keep booting on Canale's
// Stalker portal. A row whose line was not imported, whose MAC is not a
// MAC, or whose MAC an earlier row took, is skipped with the reason.
func (im *importer) importDevices(ctx context.Context) error {
	rows, err := im.src.read(ctx, magTable, "mag_id")
	if err != nil {
		return err
	}
	byMAC := map[string]int64{}
	var out []store.ImportDevice
	for _, r := range rows {
		id, line := r.int("mag_id"), r.int("user_id")
		if id <= 0 {
			im.rep.skip(magTable, id, "no mag_id")
			continue
		}
		if !im.subscribers[line] {
			im.rep.skip(magTable, id, "line "+strconv.FormatInt(line, 10)+" was not imported")
			continue
		}
		mac, ok := im.boxMAC(magTable, id, r.str("mac"), byMAC)
		if !ok {
			continue
		}
		firmware := r.str("ver")
		if firmware == "" {
			firmware = r.str("image_version")
		}
		d := api.Device{SubscriberID: line, MAC: mac, Serial: r.str("sn"), DeviceID: r.str("device_id"),
			DeviceID2: r.str("device_id2"), Model: r.str("stb_type"), Firmware: firmware,
			Locked: r.bool("lock_device")}.Normalize()
		if err := d.Validate(); err != nil {
			im.rep.skip(magTable, id, err.Error())
			continue
		}
		byMAC[mac] = id
		out = append(out, store.ImportDevice{ID: id, SubscriberID: d.SubscriberID, MAC: d.MAC, Serial: d.Serial,
			DeviceID: d.DeviceID, DeviceID2: d.DeviceID2, Model: d.Model, Firmware: d.Firmware, Locked: d.Locked})
	}
	im.rep.Imported["devices"] = len(out)
	return im.ci.Devices(ctx, out)
}

// boxMAC returns a box row's MAC normalized, or skips the row with the
// reason: not a MAC, or one an earlier row of table (in taken) has.
func (im *importer) boxMAC(table string, id int64, raw string, taken map[string]int64) (string, bool) {
	mac, ok := magMAC(raw)
	if !ok {
		im.rep.skip(table, id, "mac "+strconv.Quote(raw)+" is not a MAC, plain or base64")
		return "", false
	}
	if other, dup := taken[mac]; dup {
		im.rep.skip(table, id, fmt.Sprintf("mac %s already taken by %s row %d", mac, table, other))
		return "", false
	}
	return mac, true
}

// magMAC returns the box's MAC normalized. XC-derived panels store it
// either plainly ("00:1A:79:12:34:56") or base64-encoded; both are taken.
func magMAC(s string) (string, bool) {
	if mac, ok := api.NormalizeMAC(s); ok {
		return mac, true
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			if mac, ok := api.NormalizeMAC(string(b)); ok {
				return mac, true
			}
		}
	}
	return "", false
}
