package api

import "testing"

// TestSubscriberTunersWithoutSecrets: a role that may not read tokens gets
// each tuner's package and DeviceID without its URL, and the subscriber it
// was made from keeps its URLs (the tuners are copied, not cleared in place).
func TestSubscriberTunersWithoutSecrets(t *testing.T) {
	pkg := int64(5)
	sub := Subscriber{TunerToken: "tuner-secret", TunerURL: "https://tv.example/hdhr/tuner-secret",
		Tuners: []Tuner{{URL: "https://tv.example/hdhr/tuner-secret", DeviceID: "1050A3C6"},
			{PackageID: &pkg, URL: "https://tv.example/hdhr/tuner-secret/p/5", DeviceID: "105F00D2"}}}
	got := sub.WithoutSecrets().(Subscriber)
	if got.TunerToken != "" || got.TunerURL != "" || len(got.Tuners) != 2 {
		t.Fatalf("got token %q, URL %q, tuners %+v; want no token, no URL, two tuners", got.TunerToken, got.TunerURL, got.Tuners)
	}
	for i, tu := range got.Tuners {
		if tu.URL != "" || tu.DeviceID != sub.Tuners[i].DeviceID || tu.PackageID != sub.Tuners[i].PackageID {
			t.Errorf("tuner %d: got %+v, want %+v without its URL", i, tu, sub.Tuners[i])
		}
		if sub.Tuners[i].URL == "" {
			t.Errorf("tuner %d: the original lost its URL", i)
		}
	}
}
