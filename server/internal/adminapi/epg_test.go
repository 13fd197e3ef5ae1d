package adminapi_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"canale/server/internal/testserver"
	"canale/shared/api"
)

func TestEPGSourceCRUD(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := testserver.Start(t)
	c := srv.Admin
	src, err := c.CreateEPGSource(ctx, api.EPGSource{Name: "main-epg", URL: "http://127.0.0.1:1/epg.xml", Enabled: true})
	if err != nil || src.ID == 0 || src.IntervalHours != api.DefaultEPGIntervalHours {
		t.Fatalf("create: got %+v, %v", src, err)
	}
	invalid := []struct {
		name  string
		src   api.EPGSource
		field string
	}{
		{"NoName", api.EPGSource{URL: "http://x/y"}, "name"},
		{"BadURL", api.EPGSource{Name: "x", URL: "file:///etc/passwd"}, "url"},
		{"NegativeDays", api.EPGSource{Name: "x", URL: "http://x/y", DaysKeep: -1}, "days_keep"},
	}
	for _, tt := range invalid {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.CreateEPGSource(ctx, tt.src)
			e, ok := err.(*api.Error)
			if !ok || e.Code != api.CodeInvalid || e.Fields[tt.field] == "" {
				t.Errorf("got %v, want invalid naming %s", err, tt.field)
			}
		})
	}
	if _, err := c.CreateEPGSource(ctx, api.EPGSource{Name: "MAIN-EPG", URL: "http://x/y"}); api.ErrorCode(err) != api.CodeConflict {
		t.Errorf("duplicate name: got %v, want conflict", err)
	}
	name, allow := "sports-epg", true
	if src.AllowPrivateNetwork {
		t.Errorf("create: got allow_private_network true, want false by default")
	}
	upd, err := c.UpdateEPGSource(ctx, src.ID, api.EPGSourceUpdate{Name: &name, AllowPrivateNetwork: &allow, Version: src.Version})
	if err != nil || upd.Name != name || !upd.AllowPrivateNetwork || upd.Version != src.Version+1 {
		t.Fatalf("update: got %+v, %v", upd, err)
	}
	if _, err := c.UpdateEPGSource(ctx, src.ID, api.EPGSourceUpdate{Name: &name, Version: src.Version}); api.ErrorCode(err) != api.CodeConflict {
		t.Errorf("stale update: got %v, want conflict (409)", err)
	}
	page, err := c.EPGSources(ctx, api.EPGSourceFilter{}, api.ListParams{Limit: 10})
	if err != nil || len(page.Items) != 1 || page.Items[0].Name != name || page.Items[0].Running {
		t.Errorf("list: got %+v, %v", page, err)
	}
	if err := c.DeleteEPGSource(ctx, src.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.EPGSource(ctx, src.ID); api.ErrorCode(err) != api.CodeNotFound {
		t.Errorf("get after delete: got %v, want not_found", err)
	}
}

func TestEPGRunAndRead(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := testserver.Start(t)
	t0 := time.Now().UTC().Truncate(time.Hour)
	guide := xmltvGuide(t0)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(guide))
	}))
	t.Cleanup(ts.Close)
	// The guide server is on loopback, which a source reaches only when allowed.
	src, err := srv.Admin.CreateEPGSource(ctx, api.EPGSource{Name: "main", URL: ts.URL + "/epg.xml", Enabled: false, DaysKeep: 1,
		AllowPrivateNetwork: true})
	if err != nil || !src.AllowPrivateNetwork {
		t.Fatalf("create: got %+v, %v; want allow_private_network", src, err)
	}
	operator := testserver.CreateAdmin(t, srv.Store, "noc", api.RoleOperator, "noc-password-1")
	if _, err := srv.SignIn(t, operator.Login, "noc-password-1").RunEPGSource(ctx, src.ID); api.ErrorCode(err) != api.CodeForbidden {
		t.Errorf("operator run: got %v, want forbidden", err)
	}
	st, err := srv.Admin.RunEPGSource(ctx, src.ID)
	if err != nil || st.ID != src.ID {
		t.Fatalf("run: got %+v, %v", st, err)
	}
	srv.App.EPG().Wait()
	st, err = srv.Admin.EPGSource(ctx, src.ID)
	if err != nil || st.Running || st.LastResult != api.EPGResultOK || st.ProgrammeCount != 3 || st.ChannelCount != 2 {
		t.Fatalf("after run: got %+v, %v; want ok with 3 programmes, 2 channels", st, err)
	}
	chans, err := srv.Admin.EPGChannels(ctx, src.ID)
	if err != nil || len(chans) != 2 || chans[0].EPGID != "first.example" || chans[0].DisplayNames[0] != "First" {
		t.Errorf("channels: got %+v, %v", chans, err)
	}
	progs, err := srv.Admin.Programmes(ctx, []string{"second.example", "first.example"}, t0, t0.Add(2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range progs {
		got = append(got, p.ChannelEPGID+"/"+p.Title)
	}
	if want := "first.example/News,first.example/Film,second.example/Sport"; strings.Join(got, ",") != want {
		t.Errorf("programmes: got %v, want %s", got, want)
	}
	if progs, err := srv.Admin.Programmes(ctx, []string{"nothing"}, t0, t0.Add(time.Hour)); err != nil || progs == nil || len(progs) != 0 {
		t.Errorf("no programmes: got %v, %v; want an empty array", progs, err)
	}
	if _, err := srv.Admin.Programmes(ctx, nil, t0, t0.Add(time.Hour)); api.ErrorCode(err) != api.CodeInvalid {
		t.Errorf("no epg_id: got %v, want invalid", err)
	}
	if _, err := srv.Admin.RunEPGSource(ctx, 999); api.ErrorCode(err) != api.CodeNotFound {
		t.Errorf("run unknown: got %v, want not_found", err)
	}
}

func xmltvGuide(t0 time.Time) string {
	f := func(t time.Time) string { return t.Format("20060102150405 -0700") }
	return fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<tv>
  <channel id="first.example"><display-name>First</display-name></channel>
  <channel id="second.example"><display-name>Second</display-name><icon src="http://x/2.png"/></channel>
  <programme start="%s" stop="%s" channel="first.example"><title>News</title><episode-num system="xmltv_ns">0.41.</episode-num></programme>
  <programme start="%s" stop="%s" channel="first.example"><title>Film</title></programme>
  <programme start="%s" stop="%s" channel="second.example"><title>Sport</title><category>Sport</category></programme>
</tv>
`, f(t0), f(t0.Add(time.Hour)), f(t0.Add(time.Hour)), f(t0.Add(3*time.Hour)), f(t0), f(t0.Add(2*time.Hour)))
}
