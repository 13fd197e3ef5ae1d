package api

// DeviceOnly marks a line an Xtream Codes panel sold for one kind of
// set-top box: XC keeps such a line out of get.php (DEVICE_NOT_ALLOWED),
// and a MAG line plays only through the MAG (Stalker) portal, while its
// player_api keeps answering (XC_VM player_api.php checks no device flag).
// Canale keeps the flags as subscriber attributes, under the keys below, as
// `canale import xc` writes them; an operator sets or clears them through
// the subscriber's attributes in the admin API.
type DeviceOnly uint8

// DeviceOnly bits.
const (
	DeviceOnlyMAG     DeviceOnly = 1 << iota // attribute is_mag: a MAG line
	DeviceOnlyEnigma2                        // attribute is_e2: an Enigma2 line
)

// Attribute keys of the device-only flags: true, "true" or "1" sets one.
const (
	AttributeIsMAG = "is_mag"
	AttributeIsE2  = "is_e2"
)

// Has reports whether every bit of f is set in d.
func (d DeviceOnly) Has(f DeviceOnly) bool { return d&f == f && f != 0 }
