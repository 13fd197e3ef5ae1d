package simulator

import (
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

const (
	apiPrefix      = "/streamer/api/v3"
	apiAliasPrefix = "/flussonic/api/v3"
	legacyPrefix   = "/flussonic/api"
)

// routes is the whole surface of the simulated streamer.
func (s *Simulator) routes() http.Handler {
	mux := http.NewServeMux()
	for _, p := range []string{apiPrefix, apiAliasPrefix} {
		mux.HandleFunc("GET "+p+"/streams", s.api(s.handleStreamList))
		mux.HandleFunc("GET "+p+"/streams/{name...}", s.api(s.handleStreamGet))
		mux.HandleFunc("GET "+p+"/config/stats", s.api(s.handleServerStats))
		mux.HandleFunc("GET "+p+"/sessions", s.api(s.handleSessionList))
		mux.HandleFunc("DELETE "+p+"/sessions/{id}", s.api(s.handleSessionDelete))
		mux.HandleFunc("POST "+p+"/sessions/reauth", s.api(s.handleSessionReauth))
		mux.HandleFunc("GET "+p+"/monitoring/{probe}", s.api(s.handleProbe))
		mux.HandleFunc(p+"/", s.api(func(w http.ResponseWriter, _ *http.Request) {
			writeError(w, http.StatusNotFound, "not_found", "no such API path")
		}))
	}
	mux.HandleFunc("GET "+legacyPrefix+"/server", s.legacy(s.handleLegacyServer))
	mux.HandleFunc("GET "+legacyPrefix+"/media", s.legacy(s.handleLegacyMedia))
	mux.HandleFunc("GET "+legacyPrefix+"/sessions", s.legacy(s.handleLegacySessions))
	mux.HandleFunc("/", s.handlePlay)
	return mux
}

// api guards a v3 handler: 404 for the legacy dialect, then credentials.
func (s *Simulator) api(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.opts.Dialect == DialectLegacy {
			http.NotFound(w, r) // old streamers have no v3 at all
			return
		}
		s.legacy(h)(w, r)
	}
}

// legacy guards a handler with the edit_auth credentials.
func (s *Simulator) legacy(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.authorized(r) {
			w.Header().Set("WWW-Authenticate", `Basic realm="Flussonic"`)
			writeError(w, http.StatusUnauthorized, "unauthorized", "bad or missing credentials")
			return
		}
		h(w, r)
	}
}

// authorized accepts Basic base64(login:password) and the same string as Bearer.
func (s *Simulator) authorized(r *http.Request) bool {
	if s.opts.Login == "" && s.opts.Password == "" {
		return true
	}
	want := base64.StdEncoding.EncodeToString([]byte(s.opts.Login + ":" + s.opts.Password))
	scheme, cred, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "basic") && !strings.EqualFold(scheme, "bearer") {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(strings.TrimSpace(cred)), []byte(want)) == 1
}

func (s *Simulator) handleProbe(w http.ResponseWriter, r *http.Request) {
	switch r.PathValue("probe") {
	case "liveness", "readiness":
		writeJSON(w, http.StatusOK, map[string]any{"server_version": s.opts.Version})
	default:
		writeError(w, http.StatusNotFound, "not_found", "unknown probe")
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeRaw(w, status, body)
}

func writeRaw(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(body)
}

// writeError uses the v3 error envelope.
func writeError(w http.ResponseWriter, status int, code, title string) {
	writeJSON(w, status, map[string]any{"errors": []map[string]any{{
		"status": strconv.Itoa(status), "code": code, "title": title,
	}}})
}
