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
	r := Request{Kind: kind}
	for k, vs := range v {
		for _, x := range vs {
			r.param(k, x)
		}
	}
	r.fillFromQS()
	return r
}

// requestFromQuery reads a raw query string as url.ParseQuery would (pairs
// with a semicolon or a bad escape are skipped) without building its map:
// this runs once for every viewer check of every streamer, and the map and
// its slices were most of what a decision allocated.
func requestFromQuery(kind Kind, raw string) Request {
	r := Request{Kind: kind}
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" || strings.IndexByte(pair, ';') >= 0 {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		k, ok := queryUnescape(k)
		if !ok {
			continue
		}
		if v, ok = queryUnescape(v); ok {
			r.param(k, v)
		}
	}
	r.fillFromQS()
	return r
}

func queryUnescape(s string) (string, bool) {
	if strings.IndexByte(s, '%') < 0 && strings.IndexByte(s, '+') < 0 {
		return s, true
	}
	u, err := url.QueryUnescape(s)
	return u, err == nil
}

// param sets the field parameter k names. The first non-empty value of a
// repeated parameter wins, as url.Values.Get would have it.
func (r *Request) param(k, v string) {
	if v == "" {
		return
	}
	str := func(f *string, v string) {
		if *f == "" {
			*f = v
		}
	}
	num := func(f *int64) {
		if *f == 0 {
			*f = number(v)
		}
	}
	switch k {
	case "name":
		str(&r.Name, v)
	case "token":
		str(&r.Token, v)
	case "ip":
		str(&r.IP, v)
	case "proto":
		str(&r.Proto, v)
	case "request_type":
		str(&r.RequestType, v)
	case "session_id":
		str(&r.SessionID, v)
	case "qs":
		str(&r.QS, v)
	case "user_agent":
		str(&r.UserAgent, unescape(v))
	case "referer":
		str(&r.Referer, unescape(v))
	case "host":
		str(&r.Host, v)
	case "key":
		str(&r.Key, v)
	case "type":
		str(&r.Type, v)
	case "media_request":
		str(&r.MediaRequest, v)
	case "request_number":
		num(&r.RequestNumber)
	case "stream_clients":
		num(&r.StreamClients)
	case "total_clients":
		num(&r.TotalClients)
	case "duration":
		num(&r.Duration)
	case "bytes":
		num(&r.Bytes)
	case "dvr":
		if !r.DVR {
			r.DVR, _ = strconv.ParseBool(v)
		}
	}
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
