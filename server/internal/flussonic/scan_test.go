package flussonic

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"
)

// decodeBoth decodes b with encoding/json and with decodeStreamsPage and fails
// when they disagree: on whether b is acceptable, or on what it holds.
func decodeBoth(t *testing.T, b []byte) {
	t.Helper()
	var want, got streamsPage
	wantErr := json.Unmarshal(b, &want)
	gotErr := decodeStreamsPage(b, &got, func(b []byte) string { return string(b) })
	if (wantErr == nil) != (gotErr == nil) {
		t.Fatalf("encoding/json says %v, the scanner says %v, for %q", wantErr, gotErr, b)
	}
	if wantErr == nil && !reflect.DeepEqual(normalised(want), normalised(got)) {
		t.Fatalf("for %q:\nencoding/json %+v\nscanner       %+v", b, want, got)
	}
}

// normalised is what a page means to the client; two decodings agree when
// these match (reflect.DeepEqual would tell a nil slice from an empty one).
func normalised(p streamsPage) []any {
	out := []any{p.Next}
	for _, w := range p.Streams {
		out = append(out, w.normalise(), w.Static, w.Stats.Status, len(w.Stats.DVRInfo.Ranges))
	}
	return out
}

func testPages(t testing.TB) [][]byte {
	var pages [][]byte
	for _, name := range []string{"streams_v3.json", "streams_old.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, b)
	}
	return pages
}

// TestScannerMatchesEncodingJSON holds the streams page scanner to what
// encoding/json made of the same bytes, on the recorded pages and on
// answers that are odd, wrong or broken in the ways a streamer's can be.
func TestScannerMatchesEncodingJSON(t *testing.T) {
	for _, b := range testPages(t) {
		decodeBoth(t, b)
		for i := range b { // every truncation
			decodeBoth(t, b[:i])
		}
	}
	for _, s := range []string{
		`null`, `{}`, `[]`, `"x"`, `5`, `{"streams":null}`, `{"streams":{}}`, `{"streams":[null]}`,
		`{"streams":[1]}`, `{"streams":[{"name":5}]}`, `{"streams":[{"name":null,"stats":null}]}`,
		`{"streams":[{"stats":"x"}]}`, `{"streams":[{"stats":{"dvr_info":[]}}]}`,
		`{"streams":[{"stats":{"dvr_info":{"ranges":{}}}}]}`, `{"streams":[{"stats":{"dvr_info":{"ranges":[5]}}}]}`,
		`{"streams":[{"stats":{"dvr_info":{"ranges":[null,{"from":"7","duration":{"a":1}}]}}}]}`,
		`{"streams":[{"Name":"up","STATS":{"Status":"Running","TS_DELAY":"12"}}]}`,
		`{"streams":[{"name":"a\u00e9\n\"b","stats":{"status":"run\u006eing"}}]}`,
		"{\"streams\":[{\"name\":\"bad\xffutf8\"}]}", "{\"streams\":[{\"name\":\"ctl\x01\"}]}",
		`{"streams":[{"name":"a"}],"streams":[{"stats":{"alive":true}},{"name":"b"}]}`,
		`{"streams":[{"name":"a","stats":{"alive":1,"ts_delay":1}}],"streams":[{"stats":{"ts_delay":2}}]}`,
		`{"streams":[{"name":"x","stats":{"ts_delay":01}}]}`, `{"streams":[{"name":"x","stats":{"bitrate":1.}}]}`,
		`{"streams":[{"name":"x","stats":{"bitrate":-1.5e+3,"clients":1E2}}]}`, `{"streams":[{"name":"x","stats":{"x":tru}}]}`,
		`{"streams":[{"name":"x","static":"1","stats":{"running":"0","alive":"yes"}}]}`,
		`{"streams":[{"name":"n","stats":{"bitrate":-0,"clients":"-0","ts_delay":"007","retry_count":1234567890123456789}}]}`,
		`{"streams":[{"name":"n","stats":{"bitrate":"-","clients":"+5","ts_delay":" 12","input_bitrate":123456789012345}}]}`,
		`{"streams":[{"name":"n\u00e9","stats":{"status":"é","Alive":"true","input_error_rate":"1e3"}}]}`,
		`{"next":5}`, `{"next":"abc","streams":[]}`, `{"next":true}`, `{"next":"\u0000"}`, `{} x`, `{}  `, ` {"a":[1,{"b":[]}]} `,
		`{"a":}`, `{"a" 1}`, `{"a":1,}`, `{"a":[1,]}`, `{,}`, `{"a":"\x"}`, `{"a":"\u12"}`, `{"streams":[{"stats":{"status":"\u12"}}]}`,
		// Where jx unescapes or keeps bytes unlike encoding/json (a lone
		// surrogate before a pair, invalid UTF-8): names and values still
		// read as encoding/json reads them, keys still match the same.
		`{"streams":[{"name":"\udc00\ud800\udc00","stats":{"status":"\udc00\ud800\udc00"}}]}`,
		`{"streams":[{"name":"\ud800\n","stats":{"status":"\ud800x"}}]}`,
		`{"streams":[{"n\udc00\ud800\udc00me":"x","\u006eame":"y"}]}`,
		"{\"streams\":[{\"nam\xffe\":\"x\",\"name\xff\":\"y\",\"stats\":{\"status\":\"r\xff\"}}]}",
		"{\"streams\":[{\"\xe2\x84\xaaey\":1,\"\xc5\xbftatic\":true}]}", // Kelvin sign, long s: fold to ASCII
	} {
		decodeBoth(t, []byte(s))
	}
	// Nesting around the depth limit both put at 10000.
	for _, n := range []int{9998, 9999, 10000} {
		decodeBoth(t, []byte(`{"x":`+strings.Repeat("[", n)+strings.Repeat("]", n)+`}`))
	}
}

// FuzzScanner runs the same comparison on mutations of the recorded pages:
// go test -fuzz FuzzScanner ./server/internal/flussonic
func FuzzScanner(f *testing.F) {
	for _, b := range testPages(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) { decodeBoth(t, b) })
}

// streamsPageOf renders n streams the way a current streamer does with
// select=name,static,stats.
func streamsPageOf(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"estimated_count":` + fmt.Sprint(n) + `,"next":null,"prev":null,"streams":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"name":"ch%d","static":true,"stats":{"alive":true,"bitrate":3000,"client_count":%d,`+
			`"dvr_enabled":false,"input_bitrate":3000,"input_error_rate":0,"online_clients":%d,"output_bitrate":3000,`+
			`"retry_count":0,"running_on":["edge001.test"],"status":"running","ts_delay":120}}`, i, i%7, i%7)
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

// cpuPerOp reports the process's CPU time per iteration of what follows:
// on a shared machine it moves less than ns/op, which is wall time.
func cpuPerOp(b *testing.B) func() {
	cpu := func() time.Duration {
		var ru syscall.Rusage
		if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
			b.Fatal(err)
		}
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	start := cpu()
	return func() { b.ReportMetric(float64(cpu()-start)/float64(b.N), "cpu-ns/op") }
}

// BenchmarkStreamsPage compares the scanner with encoding/json (Baseline) on a page
// of 500 streams; names are interned as the client does between polls.
func BenchmarkStreamsPage(b *testing.B) {
	body := streamsPageOf(500)
	b.Run("Baseline", func(b *testing.B) { // encoding/json, which make bench prints the scanner against
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		defer cpuPerOp(b)()
		for b.Loop() {
			var p streamsPage
			if err := json.Unmarshal(body, &p); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("scanner", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		names := map[string]string{}
		intern := func(k []byte) string {
			if s, ok := names[string(k)]; ok {
				return s
			}
			s := string(k)
			names[s] = s
			return s
		}
		var p streamsPage
		defer cpuPerOp(b)()
		for b.Loop() {
			p.Streams = p.Streams[:0]
			if err := decodeStreamsPage(body, &p, intern); err != nil {
				b.Fatal(err)
			}
		}
	})
}
