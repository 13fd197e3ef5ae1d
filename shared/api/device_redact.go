package api

// WithoutSecrets hides what lets a box sign in as its subscriber: the MAC
// (the only credential of an unlocked device; its vendor prefix stays, to
// tell a MAG from an app) and the ids a locked device is checked against.
// An id not captured yet stays empty, so a reader still sees whether the
// box has booted.
func (d Device) WithoutSecrets() any {
	if len(d.MAC) == len("00:1A:79:12:34:56") {
		d.MAC = d.MAC[:len("00:1A:79:")] + Redacted
	} else if d.MAC != "" {
		d.MAC = Redacted
	}
	for _, p := range []*string{&d.Serial, &d.DeviceID, &d.DeviceID2, &d.HWVersion} {
		if *p != "" {
			*p = Redacted
		}
	}
	return d
}
