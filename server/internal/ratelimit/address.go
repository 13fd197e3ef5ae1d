package ratelimit

// AddressKey is the key other surfaces count or bind an address by, the same
// as the sign-in counters: an IPv6 address stands for its /64.
func AddressKey(address string) string { return addressKey(address) }
