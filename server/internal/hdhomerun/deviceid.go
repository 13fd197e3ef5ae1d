package hdhomerun

import "crypto/sha256"

// checksumTable is libhdhomerun's substitution for the even nibbles of a
// DeviceID (hdhomerun_discover.c; spec hdhomerun.md §2.1).
var checksumTable = [16]uint32{0xA, 0x5, 0xF, 0x6, 0x7, 0xC, 0x1, 0xB, 0x9, 0x2, 0x8, 0xD, 0x4, 0x3, 0xE, 0x0}

// ValidDeviceID reports whether id passes libhdhomerun's checksum: XOR of
// the substituted even nibbles and the plain odd ones, from the most
// significant, is zero. Native discovery clients drop ids that fail it.
func ValidDeviceID(id uint32) bool {
	return checksum(id) == 0
}

func checksum(id uint32) uint32 {
	var c uint32
	for i := 0; i < 8; i++ {
		n := (id >> (28 - 4*i)) & 0xF
		if i%2 == 0 {
			c ^= checksumTable[n]
		} else {
			c ^= n
		}
	}
	return c
}

// DeviceID derives a tuner's id from its token: the 0x105 prefix of a modern
// device (libhdhomerun treats 100–103, 111 and 12x as legacy models), four
// nibbles of the token's SHA-256 and the check nibble. The same token always
// gives the same id, so media servers keep their channel map across restarts
// and instances; a reset token is a new device to them, as it should be.
func DeviceID(token string) uint32 {
	sum := sha256.Sum256([]byte(token))
	id := uint32(0x105)<<20 | (uint32(sum[0])<<8|uint32(sum[1]))<<4
	return id | checksum(id) // the last nibble is zero, so the XOR so far is the check nibble
}
