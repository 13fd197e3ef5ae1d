package playlist

import (
	"bytes"
	"fmt"
	"io"
	"testing"
)

// benchChannels is a 5,000-channel line-up, most with DVR, the size of a large operator.
func benchChannels() []Channel {
	chs := make([]Channel, 5000)
	for i := range chs {
		name := fmt.Sprintf("channel-%04d", i)
		live, catchup := FlussonicURLs("https://edge1.example.net", name, "0123456789abcdef0123456789abcdef", FormatHLS)
		chs[i] = Channel{
			ID: int64(i + 1), Name: name, Title: fmt.Sprintf("Channel %d HD", i+1), Number: i + 1,
			Category: fmt.Sprintf("Group %d", i%40), LogoURL: "https://mw.example.net/logo/" + name + ".png",
			EPGID: name + ".example", DVRDays: 7 * (i % 2), StreamURL: live, CatchupSource: catchup,
		}
	}
	return chs
}

// BenchmarkWriteM3U5000 measures generating one subscriber's playlist of 5,000 channels.
// Compare with BenchmarkServeSameBytes: the ratio is the cost of generating over serving
// a cached copy.
func BenchmarkWriteM3U5000(b *testing.B) {
	chs := benchChannels()
	var size bytes.Buffer
	if err := WriteM3U(&size, fixtureHeader, chs, M3UOptions{}); err != nil {
		b.Fatalf("WriteM3U: %v", err)
	}
	b.SetBytes(int64(size.Len()))
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteM3U(io.Discard, fixtureHeader, chs, M3UOptions{}); err != nil {
			b.Fatalf("WriteM3U: %v", err)
		}
	}
}

// BenchmarkServeSameBytes is the baseline: copying the same playlist bytes from memory to
// io.Discard, in the 32 KiB writes WriteM3U makes.
func BenchmarkServeSameBytes(b *testing.B) {
	var buf bytes.Buffer
	if err := WriteM3U(&buf, fixtureHeader, benchChannels(), M3UOptions{}); err != nil {
		b.Fatalf("WriteM3U: %v", err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		for rest := data; len(rest) > 0; {
			n, _ := io.Discard.Write(rest[:min(32<<10, len(rest))])
			rest = rest[n:]
		}
	}
}
