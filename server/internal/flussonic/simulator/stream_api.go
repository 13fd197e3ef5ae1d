package simulator

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// handleStreamList serves GET /streams with select=, limit= and cursor=.
// The cursor is the last name of the previous page, so paging stays stable
// while streams come and go. Pages are cached until anything changes.
func (s *Simulator) handleStreamList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := s.pageLimit(q.Get("limit"))
	key := fmt.Sprintf("%s|%d|%s", q.Get("select"), limit, q.Get("cursor"))
	s.mu.Lock()
	defer s.mu.Unlock()
	if gen := s.auth.gen.Load(); gen != s.pagesGen {
		clear(s.pages) // viewer counts changed
		s.pagesGen = gen
	}
	if body, ok := s.pages[key]; ok {
		writeRaw(w, http.StatusOK, body)
		return
	}
	after, err := decodeCursor(q.Get("cursor"))
	if err != nil {
		writeError(w, http.StatusBadRequest, "bad_cursor", err.Error())
		return
	}
	all := s.sortedStreamsLocked()
	start := sort.Search(len(all), func(i int) bool { return all[i].Name > after })
	end := min(start+limit, len(all))
	sel := parseSelect(q.Get("select"))
	items := make([]any, 0, end-start)
	for _, st := range all[start:end] {
		items = append(items, project(s.renderStreamLocked(st), sel))
	}
	var next any // JSON null when done
	if end < len(all) {
		next = base64.RawURLEncoding.EncodeToString([]byte(all[end-1].Name))
	}
	body, err := json.Marshal(map[string]any{
		"estimated_count": len(all), "next": next, "prev": nil, "streams": items,
	})
	if err != nil {
		writeError(w, http.StatusInternalServerError, "encode", err.Error())
		return
	}
	s.pages[key] = body
	writeRaw(w, http.StatusOK, body)
}

func (s *Simulator) pageLimit(v string) int {
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return 100 // Flussonic's default
	}
	return min(n, s.opts.MaxPageLimit)
}

func decodeCursor(c string) (string, error) {
	if c == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return "", fmt.Errorf("decode cursor: %w", err)
	}
	return string(b), nil
}

// handleStreamGet serves GET /streams/{name} and /streams/{name}/dvr/ranges.
func (s *Simulator) handleStreamGet(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	name, ranges := strings.CutSuffix(name, "/dvr/ranges")
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.streams[name]
	if !ok {
		writeError(w, http.StatusNotFound, "not_found", "no such stream")
		return
	}
	if ranges {
		writeJSON(w, http.StatusOK, map[string]any{"ranges": dvrRanges(st)})
		return
	}
	writeJSON(w, http.StatusOK, project(s.renderStreamLocked(st), parseSelect(r.URL.Query().Get("select"))))
}

func dvrRanges(st Stream) []map[string]any {
	if st.DVRFrom.IsZero() {
		return []map[string]any{}
	}
	return []map[string]any{{"from": st.DVRFrom.Unix(), "duration": int64(st.DVRDepth.Seconds())}}
}

// renderStreamLocked builds the stream object in the simulator's dialect.
func (s *Simulator) renderStreamLocked(st Stream) map[string]any {
	clients := st.Clients + int64(s.auth.openCount(st.Name))
	namedBy := "config"
	if st.External {
		namedBy = "external"
	}
	out := map[string]any{
		"name": st.Name, "static": !st.OnDemand, "named_by": namedBy,
		"inputs": []any{map[string]any{"url": "udp://239.0.0.1:1234", "priority": 1,
			"stats": map[string]any{"active": st.Alive}}},
	}
	if s.opts.Dialect == DialectV3Old {
		out["stats"] = oldStats(st, clients)
		return out
	}
	stats := map[string]any{
		"status": st.status(), "alive": st.Alive, "ts_delay": st.TSDelayMs,
		"online_clients": clients, "client_count": clients,
		"bitrate": st.InputKbps, "input_bitrate": st.InputKbps, "output_bitrate": st.OutputKbps,
		"input_error_rate": st.InputErrorRate, "retry_count": st.RetryCount,
		"dvr_enabled": !st.DVRFrom.IsZero(),
		"running_on":  []string{s.opts.Hostname},
	}
	if !st.DVRFrom.IsZero() {
		stats["dvr_info"] = map[string]any{"from": st.DVRFrom.Unix(),
			"depth": int64(st.DVRDepth.Seconds()), "ranges": dvrRanges(st)}
	}
	out["stats"] = stats
	return out
}

// oldStats is how older builds described a stream: a boolean running,
// client_count, and figures as strings.
func oldStats(st Stream, clients int64) map[string]any {
	return map[string]any{
		"running": st.status() == "running", "alive": st.Alive,
		"ts_delay": strconv.FormatInt(st.TSDelayMs, 10), "client_count": strconv.FormatInt(clients, 10),
		"bitrate": strconv.FormatInt(st.InputKbps, 10), "output_bitrate": strconv.FormatInt(st.OutputKbps, 10),
		"input_error_rate": strconv.FormatFloat(st.InputErrorRate, 'f', -1, 64),
	}
}

// parseSelect turns "a,b.c" into paths; nil means everything.
func parseSelect(v string) [][]string {
	var out [][]string
	for _, f := range strings.Split(v, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, strings.Split(f, "."))
		}
	}
	return out
}

// project keeps only the selected paths of m.
func project(m map[string]any, sel [][]string) map[string]any {
	if len(sel) == 0 {
		return m
	}
	out := map[string]any{}
	for _, path := range sel {
		copyPath(out, m, path)
	}
	return out
}

func copyPath(dst, src map[string]any, path []string) {
	v, ok := src[path[0]]
	if !ok {
		return
	}
	if len(path) == 1 {
		dst[path[0]] = v
		return
	}
	sub, ok := v.(map[string]any)
	if !ok {
		return
	}
	d, _ := dst[path[0]].(map[string]any)
	if d == nil {
		d = map[string]any{}
		dst[path[0]] = d
	}
	copyPath(d, sub, path[1:])
}
