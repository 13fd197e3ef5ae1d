package importxc

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"canale/server/internal/store"
)

// e2Table is XC's table of Enigma2 boxes bound to lines by MAC, used by
// XC's closed xplugin (spec enigma2.md §6).
const e2Table = "enigma2_devices"

// attachEnigma2 records each Enigma2 box on its line's subscriber, in
// attributes.e2_devices (MAC, modem MAC, local IP, Enigma version, CPU,
// kernel string, lock), rather than as a Canale device: Canale's devices
// sign in to the Stalker portal by MAC, which XC never let an Enigma2 MAC
// do, and Canale does not serve XC's xplugin (remote commands on customer
// boxes). The boxes keep playing through the line's player_api and
// bouquet downloads (XStreamity, Bouquet Maker Xtream, get.php enigma16),
// as the report says. A row whose line was not imported, whose MAC is not
// one, or whose MAC an earlier row took, is skipped with the reason.
func (im *importer) attachEnigma2(ctx context.Context, subs []store.ImportSubscriber) error {
	idCol := "device_id"
	if !im.src.columns[e2Table]["device_id"] {
		idCol = "id"
	}
	rows, err := im.src.read(ctx, e2Table, idCol)
	if err != nil || len(rows) == 0 {
		return err
	}
	index := make(map[int64]int, len(subs))
	for i, s := range subs {
		index[s.ID] = i
	}
	byMAC := map[string]int64{}
	boxes := map[int]([]map[string]any){}
	for _, r := range rows {
		id, line := r.int(idCol), r.int("user_id")
		i, ok := index[line]
		if !ok {
			im.rep.skip(e2Table, id, "line "+strconv.FormatInt(line, 10)+" was not imported")
			continue
		}
		mac, ok := im.boxMAC(e2Table, id, r.str("mac"), byMAC)
		if !ok {
			continue
		}
		byMAC[mac] = id
		box := map[string]any{"mac": mac, "locked": r.bool("lock_device")}
		for _, c := range []string{"modem_mac", "local_ip", "enigma_version", "cpu", "lversion"} {
			if v := r.str(c); v != "" {
				box[c] = v
			}
		}
		boxes[i] = append(boxes[i], box)
	}
	for i, list := range boxes {
		a := map[string]any{}
		if err := json.Unmarshal(subs[i].Attributes, &a); err != nil {
			return fmt.Errorf("line %d attributes: %w", subs[i].ID, err)
		}
		a["e2_devices"] = list
		b, err := json.Marshal(a)
		if err != nil {
			return fmt.Errorf("line %d attributes: %w", subs[i].ID, err)
		}
		subs[i].Attributes = b
	}
	if n := len(byMAC); n > 0 {
		im.rep.note("%d Enigma2 boxes (enigma2_devices) are kept in their line's attributes.e2_devices; Canale has no XC xplugin, so they play with the line's username and password through an XC plugin (XStreamity, Bouquet Maker Xtream) or a get.php enigma16 bouquet", n)
	}
	im.rep.Imported["e2_devices"] = len(byMAC)
	return nil
}
