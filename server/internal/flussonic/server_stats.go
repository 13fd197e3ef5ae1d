package flussonic

import "time"

// ServerStats is the normalised load and identity of one streamer.
type ServerStats struct {
	Hostname string `json:"hostname"`
	Version  string `json:"version"`
	// RuntimeID changes when the streamer restarts.
	RuntimeID string `json:"runtime_id"`
	// Status is streamer_status: "running", "starting", "config_external_error", ...
	Status         string        `json:"status"`
	CPU            float64       `json:"cpu"`    // cpu_usage, percent
	Memory         float64       `json:"memory"` // memory_usage, percent
	Clients        int64         `json:"clients"`
	Streams        int64         `json:"streams"`
	OnlineStreams  int64         `json:"online_streams"`
	InputKbps      int64         `json:"input_kbps"`
	OutputKbps     int64         `json:"output_kbps"`
	BandwidthUsage float64       `json:"bandwidth_usage"` // percent of total_bandwidth
	Uptime         time.Duration `json:"uptime"`
	// Legacy is true when the figures came from /flussonic/api/server.
	Legacy bool `json:"legacy"`
}

type wireServerStats struct {
	ServerVersion  flexString `json:"server_version"`
	Version        flexString `json:"version"`
	Hostname       flexString `json:"hostname"`
	ID             flexString `json:"id"`
	StreamerStatus flexString `json:"streamer_status"`
	CPUUsage       flexNumber `json:"cpu_usage"`
	CPU            flexNumber `json:"cpu"`
	MemoryUsage    flexNumber `json:"memory_usage"`
	Memory         flexNumber `json:"memory"`
	TotalClients   flexNumber `json:"total_clients"`
	Clients        flexNumber `json:"clients"`
	TotalStreams   flexNumber `json:"total_streams"`
	OnlineStreams  flexNumber `json:"online_streams"`
	InputKbit      flexNumber `json:"input_kbit"`
	OutputKbit     flexNumber `json:"output_kbit"`
	BandwidthUsage flexNumber `json:"bandwidth_usage"`
	Uptime         flexNumber `json:"uptime"` // seconds
}

func (w wireServerStats) normalise() ServerStats {
	version := w.ServerVersion.V
	if version == "" {
		version = w.Version.V
	}
	return ServerStats{
		Hostname:       w.Hostname.V,
		Version:        version,
		RuntimeID:      w.ID.V,
		Status:         w.StreamerStatus.V,
		CPU:            first(w.CPUUsage, w.CPU).V,
		Memory:         first(w.MemoryUsage, w.Memory).V,
		Clients:        first(w.TotalClients, w.Clients).int64(),
		Streams:        w.TotalStreams.int64(),
		OnlineStreams:  w.OnlineStreams.int64(),
		InputKbps:      w.InputKbit.int64(),
		OutputKbps:     w.OutputKbit.int64(),
		BandwidthUsage: w.BandwidthUsage.V,
		Uptime:         time.Duration(w.Uptime.V * float64(time.Second)),
	}
}
