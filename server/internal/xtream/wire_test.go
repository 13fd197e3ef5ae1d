package xtream_test

import (
	b64 "encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"canale/server/internal/httpserver"
	"canale/server/internal/subscriberview"
	"canale/server/internal/xtream"
)

// serveAt is serve with another public base URL: server_info's ports and
// protocol come from it.
func serveAt(t testing.TB, externalURL string) *httptest.Server {
	t.Helper()
	dir := fixture(t)
	x := xtream.New(xtream.Deps{Auth: subscriberview.NewAuthenticator(dir, subscriberview.AuthOptions{}),
		Directory: dir, Guide: guide(), Logger: slog.New(slog.DiscardHandler),
		ExternalURL: externalURL, Now: func() time.Time { return now }})
	e := httpserver.New(httpserver.Options{Logger: slog.New(slog.DiscardHandler), Registry: httpserver.NewRegistry(),
		Mounts: []httpserver.Mount{{Prefix: "", Surface: x}}})
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return srv
}

// The JSON kinds a field may have on the wire (xtream.md §1.4, enigma2.md §4).
const (
	digits   = "digit string" // a quoted integer, never "" (strict clients parse it)
	integer  = "integer"      // a bare JSON integer
	str      = "string"       // any JSON string, "" allowed
	digitsOr = "digit string or null"
	boolean  = "bool"
	ints     = "[int]"
	strs     = "[string]"
	base64   = "padded base64"
	object   = "object"
	number   = "number"
	xcClock  = "YYYY-MM-DD HH:MM:SS"
)

var (
	digitRE = regexp.MustCompile(`^[0-9]+$`)
	b64RE   = regexp.MustCompile(`^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$`)
	clockRE = regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$`)
)

// kindOf says whether v, decoded from JSON, is of kind k.
func kindOf(v any, k string) bool {
	switch k {
	case digits:
		s, ok := v.(string)
		return ok && digitRE.MatchString(s)
	case digitsOr:
		return v == nil || kindOf(v, digits)
	case integer:
		f, ok := v.(float64)
		return ok && f == float64(int64(f))
	case number:
		_, ok := v.(float64)
		return ok
	case str:
		_, ok := v.(string)
		return ok
	case boolean:
		_, ok := v.(bool)
		return ok
	case object:
		_, ok := v.(map[string]any)
		return ok
	case base64:
		s, ok := v.(string)
		return ok && b64RE.MatchString(s)
	case xcClock:
		s, ok := v.(string)
		return ok && clockRE.MatchString(s)
	case ints, strs:
		l, ok := v.([]any)
		if !ok {
			return false
		}
		for _, e := range l {
			if !kindOf(e, map[string]string{ints: integer, strs: str}[k]) {
				return false
			}
		}
		return true
	}
	panic("unknown kind " + k)
}

// checkFields reports every field of obj missing or not of its kind.
func checkFields(t *testing.T, where string, obj any, want map[string]string) {
	t.Helper()
	m, ok := obj.(map[string]any)
	if !ok {
		t.Errorf("%s: %T, want an object", where, obj)
		return
	}
	for field, k := range want {
		v, present := m[field]
		if !present {
			t.Errorf("%s.%s is missing (XStreamity and XKlass read it unguarded)", where, field)
			continue
		}
		if !kindOf(v, k) {
			t.Errorf("%s.%s = %#v, want a %s", where, field, v, k)
		}
	}
}

var (
	userInfoKinds = map[string]string{"username": str, "password": str, "message": str, "auth": integer,
		"status": str, "exp_date": digitsOr, "is_trial": digits, "active_cons": digits, "created_at": digits,
		"max_connections": digits, "allowed_output_formats": strs}
	serverInfoKinds = map[string]string{"url": str, "port": digits, "https_port": digits, "server_protocol": str,
		"rtmp_port": digits, "timezone": str, "timestamp_now": integer, "time_now": xcClock, "process": boolean}
	categoryKinds = map[string]string{"category_id": digits, "category_name": str, "parent_id": integer}
	liveKinds     = map[string]string{"num": integer, "name": str, "stream_type": str, "stream_id": integer,
		"stream_icon": str, "epg_channel_id": str, "added": digits, "is_adult": integer, "category_id": digits,
		"category_ids": ints, "custom_sid": str, "tv_archive": integer, "direct_source": str,
		"tv_archive_duration": integer}
	vodKinds = map[string]string{"num": integer, "name": str, "stream_type": str, "stream_id": integer,
		"stream_icon": str, "rating": str, "rating_5based": number, "added": digits, "is_adult": integer,
		"category_id": digits, "category_ids": ints, "container_extension": str, "custom_sid": str,
		"direct_source": str}
	vodInfoKinds = map[string]string{"name": str, "o_name": str, "movie_image": str, "cover_big": str,
		"tmdb_id": str, "backdrop_path": strs, "youtube_trailer": str, "genre": str, "plot": str, "cast": str,
		"director": str, "releasedate": str, "rating": str, "duration_secs": integer, "duration": str,
		"bitrate": integer, "video": object, "audio": object}
	movieDataKinds = map[string]string{"stream_id": integer, "name": str, "added": digits, "category_id": digits,
		"category_ids": ints, "container_extension": str, "custom_sid": str, "direct_source": str}
	epgKinds = map[string]string{"id": digits, "epg_id": str, "title": base64, "lang": str, "start": xcClock,
		"end": xcClock, "description": base64, "channel_id": str, "start_timestamp": digits,
		"stop_timestamp": digits, "stream_id": digits, "has_archive": integer}
)

func decode(t *testing.T, body []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("not JSON: %v: %.300s", err, body)
	}
	return v
}

// TestWireKinds checks every field of every live/VOD/EPG action against the
// kinds panels send, for an https and a plain http deployment: a quoted
// number is never "", a bare one never quoted, nothing missing.
func TestWireKinds(t *testing.T) {
	for _, base := range []string{"https://tv.example.net", "http://tv.example.net:8080"} {
		t.Run(base, func(t *testing.T) {
			srv := serveAt(t, base)
			call := func(q string) any {
				res, body := get(t, srv.URL+"/player_api.php?"+creds+q)
				if ct := res.Header.Get("Content-Type"); res.StatusCode != 200 || !strings.HasPrefix(ct, "application/json") {
					t.Fatalf("%s: status %d, Content-Type %q", q, res.StatusCode, ct)
				}
				return decode(t, body)
			}
			account := call("").(map[string]any)
			checkFields(t, "user_info", account["user_info"], userInfoKinds)
			checkFields(t, "server_info", account["server_info"], serverInfoKinds)
			si := account["server_info"].(map[string]any)
			wantPort := map[string]string{"https://tv.example.net": "443", "http://tv.example.net:8080": "8080"}[base]
			if si["port"] != wantPort {
				t.Errorf("server_info.port = %v, want %s", si["port"], wantPort)
			}
			if strings.HasPrefix(base, "https") && si["https_port"] != "443" {
				t.Errorf("server_info.https_port = %v, want 443 on an https base", si["https_port"])
			}
			for _, a := range []string{"get_live_categories", "get_vod_categories"} {
				for i, c := range call("&action=" + a).([]any) {
					checkFields(t, a+"["+string(rune('0'+i))+"]", c, categoryKinds)
				}
			}
			live := call("&action=get_live_streams").([]any)
			if len(live) != 3 {
				t.Fatalf("get_live_streams: %d entries, want 3", len(live))
			}
			for _, s := range live {
				checkFields(t, "get_live_streams[]", s, liveKinds)
			}
			for _, s := range call("&action=get_vod_streams").([]any) {
				checkFields(t, "get_vod_streams[]", s, vodKinds)
			}
			info := call("&action=get_vod_info&vod_id=1").(map[string]any)
			checkFields(t, "get_vod_info.info", info["info"], vodInfoKinds)
			checkFields(t, "get_vod_info.movie_data", info["movie_data"], movieDataKinds)
			for _, a := range []string{"get_short_epg", "get_simple_data_table"} {
				l := call("&action=" + a + "&stream_id=1").(map[string]any)["epg_listings"].([]any)
				if len(l) == 0 {
					t.Fatalf("%s: no listings", a)
				}
				for _, p := range l {
					checkFields(t, a+".epg_listings[]", p, epgKinds)
					if a == "get_simple_data_table" {
						checkFields(t, a+".epg_listings[]", p, map[string]string{"now_playing": integer})
					}
				}
			}
		})
	}
}

// TestEnigma2PluginValues checks the values XStreamity, XKlass and BMX test
// beyond their kinds (enigma2.md §4.3–§4.7): status one of the four they
// know, for an active and an expired line alike; live entries "live" and
// movies "movie" (anything else turns an entry into a marker or drops it);
// non-zero stream ids; guide text that decodes as padded base64.
func TestEnigma2PluginValues(t *testing.T) {
	srv := newServer(t)
	call := func(user, q string) any {
		_, body := get(t, srv.URL+"/player_api.php?username="+user+"&password="+password+q)
		return decode(t, body)
	}
	for user, want := range map[string]string{"alice": "Active", "dave": "Expired"} {
		ui := call(user, "").(map[string]any)["user_info"].(map[string]any)
		if ui["status"] != want || ui["auth"] != float64(1) {
			t.Errorf("%s: status %v, auth %v; want %s and 1", user, ui["status"], ui["auth"], want)
		}
		checkFields(t, user+".user_info", ui, map[string]string{"active_cons": digits, "max_connections": digits})
	}
	for action, typ := range map[string]string{"get_live_streams": "live", "get_vod_streams": "movie"} {
		for _, e := range call("alice", "&action="+action).([]any) {
			m := e.(map[string]any)
			if m["stream_type"] != typ || m["stream_id"] == float64(0) || m["name"] == "" {
				t.Errorf("%s entry %v: want stream_type %q, a stream id and a name", action, m, typ)
			}
		}
	}
	l := call("alice", "&action=get_simple_data_table&stream_id=1").(map[string]any)["epg_listings"].([]any)
	for _, p := range l {
		m := p.(map[string]any)
		for _, f := range []string{"title", "description"} {
			if _, err := b64.StdEncoding.DecodeString(m[f].(string)); err != nil {
				t.Errorf("epg %s %q: %v", f, m[f], err)
			}
		}
	}
}
