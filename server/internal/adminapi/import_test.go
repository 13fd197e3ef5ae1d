package adminapi_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"io"
	"net/http"
	"strings"
	"testing"

	"canale/server/internal/testserver"
	"canale/shared/api"
	"canale/shared/client"
)

// playlist returns an M3U of n channels in groups of 100, named by tvg-name
// when named is true and by Cyrillic titles otherwise.
func playlist(n int, named bool) []byte {
	var b bytes.Buffer
	b.WriteString("#EXTM3U\n")
	for i := 1; i <= n; i++ {
		name := ""
		if named {
			name = fmt.Sprintf(` tvg-name="ch%05d"`, i)
		}
		fmt.Fprintf(&b, "#EXTINF:-1 tvg-id=\"id%d\"%s tvg-logo=\"http://127.0.0.1/l/%d.png\" group-title=\"Group %d\" tvg-chno=\"%d\",Канал %d, HD\n",
			i, name, i, i/100, i, i)
		fmt.Fprintf(&b, "http://127.0.0.1:9/live/%d.m3u8\n", i)
	}
	return b.Bytes()
}

func allChannels(t *testing.T, c *client.Client, sort string, limit int) []api.Channel {
	t.Helper()
	var all []api.Channel
	o := api.ListParams{Sort: sort, Limit: limit}
	for pages := 0; pages < 10000; pages++ {
		page, err := c.Channels(context.Background(), api.ChannelFilter{}, o)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page.Items...)
		if page.Next == "" {
			return all
		}
		o.Cursor = page.Next
	}
	t.Fatal("paging did not end")
	return nil
}

func TestImportTenThousandAndPage(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	ctx := context.Background()
	c := srv.Admin
	m3u := playlist(10000, false)
	r, err := c.ImportChannels(ctx, m3u, api.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Created != 10000 || r.Updated != 0 || len(r.Errors) != 0 || r.CategoriesCreated != 101 || !r.Applied {
		t.Fatalf("first import: got created=%d updated=%d errors=%v categories=%d", r.Created, r.Updated, r.Errors, r.CategoriesCreated)
	}
	ch, err := c.Channels(ctx, api.ChannelFilter{}, api.ListParams{Limit: 1})
	if err != nil || len(ch.Items) != 1 {
		t.Fatal(err)
	}
	first := ch.Items[0]
	if first.Name != "Kanal_1_HD" || first.Title != "Канал 1, HD" || first.Number != 1 || first.EPGChannelID != "id1" ||
		first.LogoURL != "http://127.0.0.1/l/1.png" || len(first.Sources) != 1 || first.CategoryID == nil {
		t.Errorf("first channel: got %+v", first)
	}
	r, err = c.ImportChannels(ctx, m3u, api.ImportOptions{})
	if err != nil || r.Created != 0 || r.Updated != 10000 {
		t.Fatalf("re-import: got %+v, %v; want 10000 updated", r, err)
	}
	r, err = c.ImportChannels(ctx, m3u, api.ImportOptions{SkipExisting: true})
	if err != nil || len(r.Skipped) != 10000 || r.Updated != 0 {
		t.Fatalf("skip existing: got updated=%d skipped=%d, %v", r.Updated, len(r.Skipped), err)
	}

	for _, sort := range []string{"number", "-number", "name", "title", "-title"} {
		t.Run("Page"+sort, func(t *testing.T) {
			all := allChannels(t, c, sort, 700)
			seen := map[int64]bool{}
			for _, ch := range all {
				if seen[ch.ID] {
					t.Fatalf("channel %d twice", ch.ID)
				}
				seen[ch.ID] = true
			}
			if len(all) != 10000 {
				t.Errorf("got %d channels, want 10000", len(all))
			}
		})
	}
	for _, tc := range []struct {
		q    string
		want int
	}{{"kanal_999", 11}, {"КАНАЛ 10000", 1}, {"канал 99", 111}, {"nothing", 0}, {"kanal_1%", 0}} {
		t.Run("Search"+tc.q, func(t *testing.T) {
			page, err := c.Channels(ctx, api.ChannelFilter{}, api.ListParams{Query: tc.q, Limit: 1000})
			if err != nil || len(page.Items) != tc.want {
				t.Errorf("q=%q: got %d, %v; want %d", tc.q, len(page.Items), err, tc.want)
			}
		})
	}
}

const badPlaylist = `#EXTM3U
#EXTINF:-1 tvg-name="good1" group-title="News",Good One
http://127.0.0.1/1.m3u8
#EXTINF:-1 tvg-name="nourl",No URL
#EXTINF:-1 tvg-name="good1",Same Name
http://127.0.0.1/2.m3u8
http://127.0.0.1/orphan.m3u8
#EXTINF:-1 tvg-name="badsrc",Bad Source
not a url
#EXTINF:-1 tvg-name="good2",Good Two
http://127.0.0.1/3.m3u8
`

func TestImportBadLines(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	ctx := context.Background()
	c := srv.Admin
	wantLines := []int{4, 5, 7, 8}

	r, err := c.ImportChannels(ctx, []byte(badPlaylist), api.ImportOptions{Strict: true})
	wantCode(t, "strict", err, api.CodeInvalid, "")
	if got := lines(r.Errors); fmt.Sprint(got) != fmt.Sprint(wantLines) {
		t.Errorf("strict errors on lines %v, want %v (%+v)", got, wantLines, r.Errors)
	}
	if page, _ := c.Channels(ctx, api.ChannelFilter{}, api.ListParams{}); len(page.Items) != 0 {
		t.Fatalf("strict import with bad lines created %d channels, want none", len(page.Items))
	}
	if cats, _ := c.Categories(ctx, api.CategoryFilter{}, api.ListParams{}); len(cats.Items) != 0 {
		t.Errorf("strict import created categories %+v", cats.Items)
	}

	r, err = c.ImportChannels(ctx, []byte(badPlaylist), api.ImportOptions{DryRun: true})
	if err != nil || r.Created != 2 || r.Applied {
		t.Fatalf("dry run: got %+v, %v; want 2 would-be created, not applied", r, err)
	}
	if page, _ := c.Channels(ctx, api.ChannelFilter{}, api.ListParams{}); len(page.Items) != 0 {
		t.Fatalf("dry run created %d channels", len(page.Items))
	}

	r, err = c.ImportChannels(ctx, []byte(badPlaylist), api.ImportOptions{})
	if err != nil || r.Created != 2 || fmt.Sprint(lines(r.Errors)) != fmt.Sprint(wantLines) {
		t.Fatalf("lenient import: got %+v, %v; want 2 created, errors on %v", r, err, wantLines)
	}
	auditPage, err := c.Audit(ctx, api.AuditFilter{Entity: "channel", EntityID: "m3u"}, api.ListParams{})
	audit := auditPage.Items
	if err != nil || len(audit) != 1 || audit[0].Action != "import" {
		t.Errorf("audit: got %+v, %v; want one import record", audit, err)
	}
}

func lines(l []api.ImportLine) []int {
	var out []int
	for _, x := range l {
		out = append(out, x.Line)
	}
	return out
}

func pngImage(t *testing.T) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func get(t *testing.T, url string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func TestChannelLogo(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	ctx := context.Background()
	c := srv.Admin
	ch, err := c.CreateChannel(ctx, api.ChannelCreate{Name: "logo", Title: "Logo", LogoURL: "http://127.0.0.1/ext.png"})
	if err != nil {
		t.Fatal(err)
	}
	if ch.Logo != "http://127.0.0.1/ext.png" || ch.HasLogo {
		t.Errorf("before upload: logo %q has_logo %v, want the external URL", ch.Logo, ch.HasLogo)
	}
	resp, _ := get(t, fmt.Sprintf("%s/logos/%d", srv.URL, ch.ID))
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != ch.LogoURL {
		t.Errorf("public logo without upload: got %d to %q, want 302 to logo_url", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, err = c.SetChannelLogo(ctx, ch.ID, []byte("GIF89a not allowed"))
	wantCode(t, "gif", err, api.CodeInvalid, "logo")
	_, err = c.SetChannelLogo(ctx, ch.ID, append(pngImage(t), make([]byte, 2<<20)...))
	wantCode(t, "too large", err, api.CodeInvalid, "logo")

	img := pngImage(t)
	up, err := c.SetChannelLogo(ctx, ch.ID, img)
	if err != nil || !up.HasLogo || !strings.HasPrefix(up.Logo, fmt.Sprintf("/logos/%d?v=", ch.ID)) || up.Version != ch.Version+1 {
		t.Fatalf("upload: got %+v, %v", up, err)
	}
	resp, body := get(t, srv.URL+up.Logo) // no token: the route is public
	etag := resp.Header.Get("ETag")
	if resp.StatusCode != http.StatusOK || !bytes.Equal(body, img) || resp.Header.Get("Content-Type") != "image/png" || etag == "" ||
		resp.Header.Get("Cache-Control") == "" {
		t.Fatalf("public logo: got %d %q etag %q, want the PNG with ETag and Cache-Control", resp.StatusCode, resp.Header.Get("Content-Type"), etag)
	}
	if resp, _ := get(t, srv.URL+up.Logo, "If-None-Match", etag); resp.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: got %d, want 304", resp.StatusCode)
	}
	if resp, _ := get(t, srv.URL+up.Logo, "If-None-Match", `"other"`); resp.StatusCode != http.StatusOK {
		t.Errorf("If-None-Match other: got %d, want 200", resp.StatusCode)
	}
	svg := []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>`)
	if _, err := c.SetChannelLogo(ctx, ch.ID, svg); err != nil {
		t.Fatal(err)
	}
	if resp, _ := get(t, fmt.Sprintf("%s/logos/%d", srv.URL, ch.ID)); resp.Header.Get("Content-Type") != "image/svg+xml" {
		t.Errorf("svg: got %q", resp.Header.Get("Content-Type"))
	}
	del, err := c.DeleteChannelLogo(ctx, ch.ID)
	if err != nil || del.HasLogo || del.Logo != ch.LogoURL {
		t.Fatalf("delete logo: got %+v, %v", del, err)
	}
	_, err = c.DeleteChannelLogo(ctx, ch.ID)
	wantCode(t, "delete twice", err, api.CodeNotFound, "")
	if resp, _ := get(t, srv.URL+"/logos/999999"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown channel logo: got %d, want 404", resp.StatusCode)
	}
}
