package simulator

import (
	"net/http"
	"strings"
)

// serverFiguresLocked sums what config/stats and the legacy server call report.
func (s *Simulator) serverFiguresLocked() (clients, online, in, out int64) {
	for _, st := range s.streams {
		clients += st.Clients + int64(s.auth.openCount(st.Name))
		in += st.InputKbps
		out += st.OutputKbps
		if st.Alive {
			online++
		}
	}
	return clients, online, in, out
}

func (s *Simulator) handleServerStats(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	clients, online, in, out := s.serverFiguresLocked()
	uptime := int64(s.opts.Now().Sub(s.started).Seconds())
	body := map[string]any{
		"server_version": s.opts.Version, "build": 1, "hostname": s.opts.Hostname,
		"id": "sim-" + s.opts.Hostname, "streamer_status": s.status,
		"now": s.opts.Now().UnixMilli(), "started_at": s.started.Unix(), "uptime": uptime,
		"total_clients": clients, "total_streams": len(s.streams), "online_streams": online,
		"input_kbit": in, "output_kbit": out, "cpu_usage": s.cpu, "memory_usage": s.memory,
		"bandwidth_usage": 0, "scheduler_load": 0,
	}
	if s.opts.Dialect == DialectV3Old {
		body["cpu_usage"] = formatFloat(s.cpu)
		body["total_clients"] = formatInt(clients)
	}
	writeJSON(w, http.StatusOK, body)
}

// handleLegacyServer serves GET /flussonic/api/server.
func (s *Simulator) handleLegacyServer(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	clients, online, in, out := s.serverFiguresLocked()
	writeJSON(w, http.StatusOK, map[string]any{
		"version": s.opts.Version, "hostname": s.opts.Hostname,
		"uptime": int64(s.opts.Now().Sub(s.started).Seconds()), "total_clients": clients,
		"total_streams": len(s.streams), "online_streams": online,
		"input_kbit": in, "output_kbit": out, "cpu_usage": s.cpu, "memory_usage": s.memory,
	})
}

// handleLegacyMedia serves GET /flussonic/api/media[?name=a,b].
func (s *Simulator) handleLegacyMedia(w http.ResponseWriter, r *http.Request) {
	want := map[string]bool{}
	for _, n := range strings.Split(r.URL.Query().Get("name"), ",") {
		if n != "" {
			want[n] = true
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []any{}
	for _, st := range s.sortedStreamsLocked() {
		if len(want) > 0 && !want[st.Name] {
			continue
		}
		clients := st.Clients + int64(s.auth.openCount(st.Name))
		out = append(out, map[string]any{"entry": "stream", "value": map[string]any{
			"name": st.Name,
			"urls": []any{map[string]any{"value": "udp://239.0.0.1:1234", "options": [][]string{{"priority", "1"}}}},
			"stats": map[string]any{"alive": st.Alive, "running": st.status() == "running",
				"bitrate": st.InputKbps, "client_count": clients, "ts_delay": st.TSDelayMs},
		}})
	}
	writeJSON(w, http.StatusOK, out)
}
