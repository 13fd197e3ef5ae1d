package playauth

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
)

// Kind tells play from publish.
type Kind string

// Request kinds.
const (
	KindPlay    Kind = "play"
	KindPublish Kind = "publish"
)

// Request is one authorization question, normalised from every form a
// streamer sends it in (specs/flussonic.md §1.3, §1.4).
type Request struct {
	Kind          Kind
	Name          string
	Token         string
	IP            string
	Proto         string
	RequestType   string // new_session or update_session; empty counts as new
	RequestNumber int64
	SessionID     string
	StreamClients int64
	TotalClients  int64
	Duration      int64
	Bytes         int64
	QS            string
	DVR           bool
	UserAgent     string
	Referer       string
	Host          string // on_publish: the streamer's host name
	Key           string // a publish key sent as key= (nginx-rtmp, qs)
	// Type and MediaRequest are sent by old Flussonic versions; kept, not used.
	Type         string
	MediaRequest string
	// Peer is the address the request came from (the streamer).
	Peer string
}

// requestFromValues reads every documented parameter; unknown ones are
// ignored, malformed numbers count as zero.
func requestFromValues(kind Kind, v url.Values) Request {
	r := Request{
		Kind: kind, Name: v.Get("name"), Token: v.Get("token"), IP: v.Get("ip"), Proto: v.Get("proto"),
		RequestType: v.Get("request_type"), SessionID: v.Get("session_id"), QS: v.Get("qs"),
		UserAgent: unescape(v.Get("user_agent")), Referer: unescape(v.Get("referer")),
		Host: v.Get("host"), Key: v.Get("key"), Type: v.Get("type"), MediaRequest: v.Get("media_request"),
	}
	r.RequestNumber = number(v.Get("request_number"))
	r.StreamClients = number(v.Get("stream_clients"))
	r.TotalClients = number(v.Get("total_clients"))
	r.Duration = number(v.Get("duration"))
	r.Bytes = number(v.Get("bytes"))
	if d := v.Get("dvr"); d != "" {
		r.DVR, _ = strconv.ParseBool(d)
	}
	r.fillFromQS()
	return r
}

// fillFromQS takes the token (and a publish key) from the player's original
// query string, or from a name that still carries one (RTMP "stream?token=").
func (r *Request) fillFromQS() {
	if i := strings.IndexByte(r.Name, '?'); i >= 0 {
		r.QS, r.Name = strings.TrimPrefix(r.QS+"&"+r.Name[i+1:], "&"), r.Name[:i]
	}
	if r.QS == "" || (r.Token != "" && r.Key != "") {
		return
	}
	q, err := url.ParseQuery(r.QS)
	if err != nil && len(q) == 0 {
		return
	}
	if r.Token == "" {
		r.Token = q.Get("token")
	}
	if r.Key == "" {
		r.Key = q.Get("key")
	}
}

// requestFromJSON reads a JSON object whose values may be strings, numbers,
// booleans or objects (the rendered on_publish sample shows host as {}).
func requestFromJSON(kind Kind, body io.Reader) (Request, error) {
	var m map[string]any
	dec := json.NewDecoder(io.LimitReader(body, 1<<16))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return Request{}, fmt.Errorf("decode auth request: %w", err)
	}
	v := url.Values{}
	for k, x := range m {
		switch x := x.(type) {
		case string:
			v.Set(k, x)
		case json.Number:
			v.Set(k, x.String())
		case bool:
			v.Set(k, strconv.FormatBool(x))
		}
	}
	return requestFromValues(kind, v), nil
}

// number parses an optional count. Absent parameters are the common case on
// the hot path, and a failed strconv call allocates its error, so "" is
// answered before parsing.
func number(s string) int64 {
	if s == "" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		f, _ := strconv.ParseFloat(s, 64)
		return int64(f)
	}
	return n
}

// unescape undoes the extra URL encoding Flussonic applies to user_agent
// and referer (curl%2F7.68.0), leaving other text alone.
func unescape(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}
