package api

import (
	"strings"
	"time"
)

// Device change-event names.
const (
	EntityDevice      Entity = "device"
	OpDeviceResetLock Op     = "reset_lock" // the captured ids were cleared
)

// Device is a set-top box (a MAG, or an app in "MAC mode") that signs in to
// the Stalker portal by its MAC. It plays on its subscriber's packages and
// counts against their session limit like any player. Serial, DeviceID,
// DeviceID2 and HWVersion are captured on the first boot; a Locked device
// that later sends other values is refused, so a cloned MAC alone does not
// get in.
type Device struct {
	ID           int64      `json:"id"`
	SubscriberID int64      `json:"subscriber_id"`
	MAC          string     `json:"mac"`
	Serial       string     `json:"serial"`
	DeviceID     string     `json:"device_id"`
	DeviceID2    string     `json:"device_id2"`
	HWVersion    string     `json:"hw_version"`
	Model        string     `json:"model"`
	Firmware     string     `json:"firmware"`
	Locked       bool       `json:"locked"`
	LastIP       string     `json:"last_ip"`
	LastSeenAt   *time.Time `json:"last_seen_at,omitempty"`
	Version      int        `json:"version"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
}

// maxDeviceField bounds the ids a box reports (64 hex characters for
// device_id, a little more for firmware strings).
const maxDeviceField = 200

// Normalize upper-cases the MAC with colons and trims the other fields.
func (d Device) Normalize() Device {
	if mac, ok := NormalizeMAC(d.MAC); ok {
		d.MAC = mac
	}
	for _, p := range []*string{&d.Serial, &d.DeviceID, &d.DeviceID2, &d.HWVersion, &d.Model, &d.Firmware} {
		*p = strings.TrimSpace(*p)
	}
	return d
}

// Validate checks the fields an operator sets.
func (d Device) Validate() error {
	f := FieldErrors{}
	if d.SubscriberID <= 0 {
		f.Add("subscriber_id", "is required")
	}
	if _, ok := NormalizeMAC(d.MAC); !ok {
		f.Add("mac", "must be six hex pairs, as 00:1A:79:12:34:56")
	}
	for name, v := range map[string]string{"serial": d.Serial, "device_id": d.DeviceID, "device_id2": d.DeviceID2,
		"hw_version": d.HWVersion, "model": d.Model, "firmware": d.Firmware} {
		if len(v) > maxDeviceField {
			f.Add(name, "must be at most 200 bytes")
		}
	}
	return f.Err()
}

// NormalizeMAC returns mac as six upper-case hex pairs joined by colons;
// '-' separators and bare 12-digit forms are accepted, anything else is
// not a MAC (spec stalker.md §1.3).
func NormalizeMAC(mac string) (string, bool) {
	hex := strings.NewReplacer(":", "", "-", "").Replace(strings.TrimSpace(mac))
	if len(hex) != 12 {
		return "", false
	}
	var b strings.Builder
	for i := 0; i < 12; i++ {
		c := hex[i]
		switch {
		case c >= '0' && c <= '9', c >= 'A' && c <= 'F':
		case c >= 'a' && c <= 'f':
			c -= 'a' - 'A'
		default:
			return "", false
		}
		if i > 0 && i%2 == 0 {
			b.WriteByte(':')
		}
		b.WriteByte(c)
	}
	return b.String(), true
}

// DeviceUpdate is the body of PATCH /api/v1/devices/{id}: the ids an
// operator may correct, and the lock.
type DeviceUpdate struct {
	Serial    *string `json:"serial,omitempty"`
	DeviceID  *string `json:"device_id,omitempty"`
	DeviceID2 *string `json:"device_id2,omitempty"`
	HWVersion *string `json:"hw_version,omitempty"`
	Locked    *bool   `json:"locked,omitempty"`
	Version   int     `json:"version"`
}

// Apply returns d with the set fields of u.
func (u DeviceUpdate) Apply(d Device) Device {
	set(&d.Serial, u.Serial)
	set(&d.DeviceID, u.DeviceID)
	set(&d.DeviceID2, u.DeviceID2)
	set(&d.HWVersion, u.HWVersion)
	set(&d.Locked, u.Locked)
	return d.Normalize()
}
