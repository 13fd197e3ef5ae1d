package hdhomerun

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// TestAdvertsFor: the whole tuner comes first, then a tuner per package
// with the URL and DeviceID its discover.json gives, at most
// MaxPackageAdverts of them however many packages the subscriber holds.
func TestAdvertsFor(t *testing.T) {
	pkgs := make([]int64, 40)
	for i := range pkgs {
		pkgs[i] = int64(i + 1)
	}
	got := AdvertsFor(site, tunerToken, 0, pkgs)
	if len(got) != 1+MaxPackageAdverts {
		t.Fatalf("%d adverts for 40 packages, want %d", len(got), 1+MaxPackageAdverts)
	}
	tuners := TunerList(site, tunerToken, pkgs)
	seen := map[uint32]bool{}
	for i, a := range got {
		want := tuners[i]
		if a.BaseURL != want.URL || fmt.Sprintf("%08X", a.DeviceID) != want.DeviceID || a.TunerCount != UnlimitedTuners {
			t.Errorf("advert %d: %+v, want %+v with %d tuners", i, a, want, UnlimitedTuners)
		}
		if seen[a.DeviceID] || !ValidDeviceID(a.DeviceID) {
			t.Errorf("advert %d: DeviceID %08X repeated or failing the checksum", i, a.DeviceID)
		}
		seen[a.DeviceID] = true
	}
	if got := AdvertsFor(site, tunerToken, 2, nil); len(got) != 1 || got[0].TunerCount != 2 || got[0].BaseURL != BaseURL(site, tunerToken) {
		t.Errorf("no package: %+v, want the whole tuner alone", got)
	}
}

// TestDiscoveryServesEveryTuner: a wildcard request is answered once per
// tuner, and a request naming one tuner's DeviceID by that tuner alone.
func TestDiscoveryServesEveryTuner(t *testing.T) {
	adverts := AdvertsFor(site, tunerToken, 1, []int64{sportsPackage, 9})
	conn := serveDiscovery(t, adverts)
	ask := func(id uint32) []Advert {
		req := framePacket(typeDiscoverRequest, appendTLV(appendTLV(nil, tagDeviceType, []byte{0xFF, 0xFF, 0xFF, 0xFF}),
			tagDeviceID, []byte{byte(id >> 24), byte(id >> 16), byte(id >> 8), byte(id)}))
		if _, err := conn.Write(req); err != nil {
			t.Fatal(err)
		}
		var got []Advert
		buf := make([]byte, 1500)
		for {
			conn.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
			n, err := conn.Read(buf)
			if err != nil {
				return got
			}
			i := slices.IndexFunc(adverts, func(a Advert) bool { return string(DiscoverReply(a)) == string(buf[:n]) })
			if i < 0 {
				t.Fatalf("a reply that is no tuner's: %x", buf[:n])
			}
			got = append(got, adverts[i])
		}
	}
	if got := ask(wildcard); !slices.Equal(got, adverts) {
		t.Errorf("wildcard request answered by %+v, want %+v", got, adverts)
	}
	if got := ask(adverts[1].DeviceID); !slices.Equal(got, adverts[1:2]) {
		t.Errorf("request for %08X answered by %+v, want that tuner alone", adverts[1].DeviceID, got)
	}
}
