package balancer

import (
	"net/http"
	"strings"
	"testing"

	"canale/server/internal/fleet"
)

// vodTable is a table that also knows one VOD storage, "vod".
type vodTable struct{ table }

func (vodTable) VODFile(path string) bool { return strings.HasPrefix(path, "/vod/") }

func TestVODFileRedirect(t *testing.T) {
	edges := []fleet.Edge{edge(1, 100, 1, 0)}
	e, _ := engine(vodTable{table{channels: map[string][]fleet.Edge{"vod/films/nt.mkv": edges}}})
	for _, tc := range []struct{ path, want string }{
		// A movie downloaded whole, with no playback tail, and as HLS.
		{"/vod/films/nt.mkv?token=abc", "http://edge1.example:8080/vod/films/nt.mkv?token=abc"},
		{"/vod/films/nt.mkv/index.m3u8?token=abc", "http://edge1.example:8080/vod/films/nt.mkv/index.m3u8?token=abc"},
	} {
		w := get(e, tc.path)
		if w.Code != http.StatusFound || w.Header().Get("Location") != tc.want {
			t.Errorf("GET %s: %d to %q; want 302 to %q", tc.path, w.Code, w.Header().Get("Location"), tc.want)
		}
	}
	// Without a VOD storage the same path is not the balancer's.
	plain, _ := engine(table{channels: map[string][]fleet.Edge{"vod/films/nt.mkv": edges}})
	if w := get(plain, "/vod/films/nt.mkv?token=abc"); w.Code != http.StatusNotFound {
		t.Errorf("no storage: %d; want 404", w.Code)
	}
}
