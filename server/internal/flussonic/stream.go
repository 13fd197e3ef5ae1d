package flussonic

import (
	"strings"
	"time"
)

// Stream is the normalised health of one stream on one streamer.
type Stream struct {
	Name   string `json:"name"`
	Static bool   `json:"static"`
	// Status is "running", "waiting" or "error" (older boolean running is mapped).
	Status string `json:"status"`
	// Alive is false once no frame came for 12 s (ts_delay > 12000).
	Alive             bool    `json:"alive"`
	InputBitrateKbps  int64   `json:"input_bitrate_kbps"`
	OutputBitrateKbps int64   `json:"output_bitrate_kbps"`
	Clients           int64   `json:"clients"`
	InputErrors       float64 `json:"input_errors"` // input_error_rate: dropped packets per second
	RetryCount        int64   `json:"retry_count"`
	TSDelayMs         int64   `json:"ts_delay_ms"`
	// DVRFrom and DVRTo bound the recorded archive; zero when there is none.
	DVRFrom time.Time `json:"dvr_from"`
	DVRTo   time.Time `json:"dvr_to"`
}

// Healthy reports whether the stream can be served: running and alive.
func (s Stream) Healthy() bool { return s.Status == StatusRunning && s.Alive }

// Stream statuses as Flussonic names them.
const (
	StatusRunning = "running"
	StatusWaiting = "waiting"
	StatusError   = "error"
)

// aliveAfterMs is Flussonic's rule: a stream is dead after 12 s without frames.
const aliveAfterMs = 12000

type wireStream struct {
	Name   string          `json:"name"`
	Static flexBool        `json:"static"`
	Stats  wireStreamStats `json:"stats"`
}

type wireStreamStats struct {
	Status         flexString  `json:"status"`
	Running        flexBool    `json:"running"`
	Alive          flexBool    `json:"alive"`
	TSDelay        flexNumber  `json:"ts_delay"`
	OnlineClients  flexNumber  `json:"online_clients"`
	ClientCount    flexNumber  `json:"client_count"`
	Clients        flexNumber  `json:"clients"`
	Bitrate        flexNumber  `json:"bitrate"`
	InputBitrate   flexNumber  `json:"input_bitrate"`
	OutputBitrate  flexNumber  `json:"output_bitrate"`
	InputErrorRate flexNumber  `json:"input_error_rate"`
	InputErrors    flexNumber  `json:"input_errors"`
	RetryCount     flexNumber  `json:"retry_count"`
	DVRInfo        wireDVRInfo `json:"dvr_info"`
}

type wireDVRInfo struct {
	From     flexNumber `json:"from"`
	Depth    flexNumber `json:"depth"`
	Duration flexNumber `json:"duration"`
	Ranges   []dvrRange `json:"ranges"`
}

type dvrRange struct {
	From     flexNumber `json:"from"`
	Duration flexNumber `json:"duration"`
}

func (w wireStream) normalise() Stream {
	st := w.Stats
	s := Stream{
		Name:              w.Name,
		Static:            !w.Static.Set || w.Static.V, // static is Flussonic's default
		Status:            w.status(),
		TSDelayMs:         st.TSDelay.int64(),
		Clients:           first(st.OnlineClients, st.ClientCount, st.Clients).int64(),
		InputBitrateKbps:  first(st.InputBitrate, st.Bitrate).int64(),
		OutputBitrateKbps: st.OutputBitrate.int64(),
		InputErrors:       first(st.InputErrorRate, st.InputErrors).V,
		RetryCount:        st.RetryCount.int64(),
	}
	s.Alive = st.Alive.V
	if !st.Alive.Set {
		s.Alive = s.Status == StatusRunning && s.TSDelayMs <= aliveAfterMs
	}
	s.DVRFrom, s.DVRTo = st.DVRInfo.bounds()
	return s
}

// status maps the status string, or the older boolean running, onto the
// three documented statuses.
func (w wireStream) status() string {
	st := w.Stats
	switch v := strings.ToLower(st.Status.V); {
	case v == "true":
		return StatusRunning
	case v == "false":
		return StatusError
	case v != "":
		return v
	}
	switch {
	case !st.Running.Set && st.Alive.Set && st.Alive.V:
		return StatusRunning
	case !st.Running.Set && !st.Alive.Set:
		return ""
	case st.Running.V:
		return StatusRunning
	case w.Static.Set && !w.Static.V:
		return StatusWaiting // an idle on-demand stream is not an error
	default:
		return StatusError
	}
}

// bounds returns the first and last recorded instants of the archive.
func (d wireDVRInfo) bounds() (from, to time.Time) {
	if !d.From.Set && len(d.Ranges) == 0 {
		return time.Time{}, time.Time{}
	}
	start, end := d.From.int64(), int64(0)
	for _, r := range d.Ranges {
		if start == 0 || r.From.int64() < start {
			start = r.From.int64()
		}
		end = max(end, r.From.int64()+r.Duration.int64())
	}
	if end == 0 {
		end = start + first(d.Duration, d.Depth).int64()
	}
	if start == 0 {
		return time.Time{}, time.Time{}
	}
	return time.Unix(start, 0).UTC(), time.Unix(end, 0).UTC()
}
