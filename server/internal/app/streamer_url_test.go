package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"canale/server/internal/testserver"
	"canale/shared/api"
)

// TestStreamerURLsCarryNoCredentials is the attack: a streamer whose
// api_url is http://user:pass@edge/ and whose public_url is empty became
// the address of viewers' 302s, credentials included. Either URL with a
// login or password in it is refused with 400 naming the field, on create
// and on update, and nothing is stored.
func TestStreamerURLsCarryNoCredentials(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	ok, err := srv.Admin.CreateStreamer(context.Background(), api.StreamerCreate{Name: "edge-ok", APIURL: "http://10.0.0.1:8080/",
		Roles: []string{"edge"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, method, path, body, field string
	}{
		{"CreateAPIURL", http.MethodPost, "/api/v1/streamers",
			`{"name":"edge1","api_url":"http://admin:s3cret@10.0.0.5:8080/","roles":["edge"]}`, "api_url"},
		{"CreateAPIURLLoginOnly", http.MethodPost, "/api/v1/streamers",
			`{"name":"edge2","api_url":"http://admin@10.0.0.6:8080/","roles":["edge"]}`, "api_url"},
		{"CreatePublicURL", http.MethodPost, "/api/v1/streamers",
			`{"name":"edge3","api_url":"http://10.0.0.7:8080/","public_url":"https://u:p@cdn.example/","roles":["edge"]}`, "public_url"},
		{"UpdateAPIURL", http.MethodPatch, "/api/v1/streamers/" + strconv.FormatInt(ok.ID, 10),
			`{"api_url":"http://admin:s3cret@10.0.0.1:8080/","version":` + strconv.Itoa(ok.Version) + `}`, "api_url"},
		{"UpdatePublicURL", http.MethodPatch, "/api/v1/streamers/" + strconv.FormatInt(ok.ID, 10),
			`{"public_url":"http://viewer:pw@edge.example/","version":` + strconv.Itoa(ok.Version) + `}`, "public_url"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, srv.URL+tc.path, strings.NewReader(tc.body))
			req.Header.Set("Authorization", "Bearer "+srv.Admin.Token())
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			raw, _ := io.ReadAll(resp.Body)
			var body struct{ Error api.Error }
			_ = json.Unmarshal(raw, &body)
			if resp.StatusCode != http.StatusBadRequest || body.Error.Fields[tc.field] == "" {
				t.Errorf("got %d %s, want 400 naming %s", resp.StatusCode, raw, tc.field)
			}
			if bytes.Contains(raw, []byte("s3cret")) {
				t.Errorf("the refusal repeats the password: %s", raw)
			}
		})
	}
	list, err := srv.Admin.Streamers(context.Background(), api.StreamerFilter{}, api.ListParams{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range list.Items {
		if strings.Contains(s.APIURL+s.PublicURL, "@") {
			t.Errorf("stored streamer %s with credentials: api_url %q, public_url %q", s.Name, s.APIURL, s.PublicURL)
		}
	}
}
