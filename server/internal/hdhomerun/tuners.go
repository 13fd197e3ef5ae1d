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

// TunerList lists the tuners of token under base (Canale's external URL, or a
// reseller's DNS): the whole line-up's first, then one per package in
// packageIDs' order, each with the URL and DeviceID its discover.json
// gives. The admin API answers them with the subscriber.
func TunerList(base, token string, packageIDs []int64) []api.Tuner {
	out := make([]api.Tuner, 0, 1+len(packageIDs))
	out = append(out, api.Tuner{URL: BaseURL(base, token), DeviceID: deviceIDText(token)})
	for _, id := range packageIDs {
		out = append(out, api.Tuner{PackageID: &id, URL: PackageURL(base, token, id), DeviceID: deviceIDText(packageKey(token, id))})
	}
	return out
}
