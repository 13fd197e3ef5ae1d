package hdhomerun

import (
	"fmt"
	"strconv"

	"canale/shared/api"
)

// packageKey is what a per-package tuner's DeviceID and UDN derive from:
// the token and the package id in its one spelling, so /p/5 and /p/05 are
// the same device to media servers.
func packageKey(token string, packageID int64) string {
	return token + "/p/" + strconv.FormatInt(packageID, 10)
}

// deviceIDText is the DeviceID of the tuner keyed key as discover.json
// writes it: eight upper-case hex digits.
func deviceIDText(key string) string {
	return fmt.Sprintf("%08X", DeviceID(key))
}

// TunerList lists the tuners of token under base (Canale's external URL, or
// a reseller's DNS): the whole line-up's first, then one per package in
// packageIDs' order, each with the URL and DeviceID its discover.json
// gives. The admin API answers them with the subscriber.
func TunerList(base, token string, packageIDs []int64) []api.Tuner {
	out := make([]api.Tuner, 0, 1+len(packageIDs))
	eachTuner(base, token, packageIDs, func(pkg *int64, key, url string) {
		out = append(out, api.Tuner{PackageID: pkg, URL: url, DeviceID: deviceIDText(key)})
	})
	return out
}

// eachTuner calls fn with the package (nil for the whole line-up), the key
// its DeviceID derives from and the base URL of each tuner of token: the
// whole one first, then one per package in packageIDs' order. Media
// servers that keep one device per address see the first.
func eachTuner(base, token string, packageIDs []int64, fn func(pkg *int64, key, url string)) {
	fn(nil, token, BaseURL(base, token))
	for _, id := range packageIDs {
		fn(&id, packageKey(token, id), PackageURL(base, token, id))
	}
}
