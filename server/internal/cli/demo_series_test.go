package cli_test

import (
	"encoding/json"
	"regexp"
	"testing"
)

var subscriberPasswordLine = regexp.MustCompile(`subscriber_password: (\S+)`)

// checkDemoSeries asks the demo's XC API, as an app would, for the series
// and movies the demo subscriber should see at once.
func checkDemoSeries(t *testing.T, base, out string) {
	t.Helper()
	m := subscriberPasswordLine.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no subscriber password in %s", out)
	}
	xc := func(action string, v any, extra ...string) {
		t.Helper()
		xcGet(t, base, m[1], action, v, extra...)
	}
	var series []struct {
		SeriesID int64  `json:"series_id"`
		Name     string `json:"name"`
	}
	xc("get_series", &series)
	if len(series) != 1 || series[0].Name != "Harbour Lights (2021)" {
		t.Fatalf("demo get_series = %+v; want Harbour Lights", series)
	}
	var info struct {
		Seasons  []struct{} `json:"seasons"`
		Episodes map[string][]struct{}
	}
	xc("get_series_info", &info, "series_id", jsonInt(series[0].SeriesID))
	if len(info.Seasons) != 2 || len(info.Episodes["1"]) != 3 || len(info.Episodes["2"]) != 2 {
		t.Errorf("demo series info = %+v; want two seasons of 3 and 2 episodes", info)
	}
	var movies []struct{}
	xc("get_vod_streams", &movies)
	if len(movies) != 2 {
		t.Errorf("demo get_vod_streams = %d movies; want 2", len(movies))
	}
}

func jsonInt(n int64) string { b, _ := json.Marshal(n); return string(b) }
