package hdhomerun

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"canale/server/internal/subscriberview"
	"canale/shared/api"
)

// sportsPackage is the one package alice holds in the fakes: sport and
// sport-hd.
const sportsPackage = 5

func (f *fakes) PackageChannels(_ context.Context, _ subscriberview.Subscriber, id int64) ([]int64, error) {
	if id != sportsPackage {
		return nil, api.Errorf(api.CodeNotFound, "no such package")
	}
	return []int64{2, 4}, nil
}

// TestPackageTunerScope: /p/<package> lists and plays that package's
// channels with the whole line-up's numbers, under its own DeviceID and
// UDN; another package, or a malformed id, is a bare 404.
func TestPackageTunerScope(t *testing.T) {
	e := engine(newFakes(), noEdge{})
	base := Prefix + "/" + tunerToken + "/p/5"
	var lineup []LineupEntry
	if err := json.Unmarshal(get(e, base+"/lineup.json").Body.Bytes(), &lineup); err != nil {
		t.Fatal(err)
	}
	if len(lineup) != 2 || lineup[0].GuideName != "Sport <One>" || lineup[1].GuideName != "Sport One HD" ||
		lineup[0].URL != site+base+"/auto/v"+lineup[0].GuideNumber {
		t.Errorf("package line-up %+v", lineup)
	}
	var whole, scoped Discover
	_ = json.Unmarshal(get(e, Prefix+"/"+tunerToken+"/discover.json").Body.Bytes(), &whole)
	_ = json.Unmarshal(get(e, base+"/discover.json").Body.Bytes(), &scoped)
	if scoped.DeviceID == whole.DeviceID || scoped.BaseURL != site+base || scoped.TunerCount != whole.TunerCount {
		t.Errorf("package tuner %+v, whole %+v", scoped, whole)
	}
	var all []LineupEntry
	_ = json.Unmarshal(get(e, Prefix+"/"+tunerToken+"/lineup.json").Body.Bytes(), &all)
	for _, ch := range all {
		for _, s := range lineup {
			if s.GuideName == ch.GuideName && s.GuideNumber != ch.GuideNumber {
				t.Errorf("%s is %s on the package tuner, %s on the whole one", s.GuideName, s.GuideNumber, ch.GuideNumber)
			}
		}
	}
	for _, p := range []string{"/p/6/lineup.json", "/p/x/discover.json", "/p/0/device.xml", "/p/5/auto/v101"} {
		if w := get(e, Prefix+"/"+tunerToken+p); w.Code != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, w.Code)
		}
	}
}
