package epg

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// Channel is a <channel> of a guide.
type Channel struct {
	ID           string
	DisplayNames []string
	IconURL      string // the first icon
}

// Programme is a <programme> of a guide. Texts are the first element of each kind, as Kodi
// takes them; Lang is the lang of the title.
type Programme struct {
	Channel     string
	Start       time.Time
	Stop        time.Time // zero when the source gives none (the DTD allows it)
	Title       string
	SubTitle    string
	Desc        string
	Lang        string
	Categories  []string
	EpisodeNums []EpisodeNum
	IconURL     string
}

// EpisodeNum is an <episode-num> in one numbering system, e.g. xmltv_ns "0.41.".
type EpisodeNum struct {
	System string
	Value  string
}

// Item is what Parse hands to its callback: exactly one of Channel and Programme is set.
type Item struct {
	Channel   *Channel
	Programme *Programme
}

// Warning is an element Parse skipped, with the line it starts on.
type Warning struct {
	Line int
	Msg  string
}

// Stats summarises a parse.
type Stats struct {
	Channels   int
	Programmes int
	Warnings   int       // elements skipped as malformed or kept with texts cut to their caps
	Samples    []Warning // the first maxSamples warnings, for the operator
	Bytes      int64     // bytes read from the source (compressed size for gzip)
}

// maxSamples bounds Stats.Samples, so a guide with a million bad entries stays small.
const maxSamples = 20

// progressEvery is how many source bytes pass between two progress reports.
const progressEvery = 1 << 20

// Parser parses XMLTV guides. The zero value is ready to use.
type Parser struct {
	// Progress, when set, is called with the bytes read so far from the source, about
	// every MiB and once at the end.
	Progress func(bytesRead int64)
	// MaxBytes bounds the decompressed guide; zero means MaxGuideXMLBytes.
	MaxBytes int64
	// MaxElementBytes bounds each element; zero means MaxElementBytes.
	MaxElementBytes int64
}

// Parse parses the XMLTV guide in r with a zero Parser.
func Parse(ctx context.Context, r io.Reader, fn func(Item) error) (Stats, error) {
	return Parser{}.Parse(ctx, r, fn)
}

// Parse reads the XMLTV guide in r, plain or gzip (detected by its magic bytes), and calls
// fn for each channel and each usable programme in document order. It returns an error if
// the input is not a complete XMLTV document (cut short, not XML, not gzip-intact), if ctx
// is done, or if fn returns one; the items already passed to fn are then part of a guide
// that must not replace a good one.
func (p Parser) Parse(ctx context.Context, r io.Reader, fn func(Item) error) (Stats, error) {
	cr := &countingReader{r: r, progress: p.Progress}
	var st Stats
	src, err := decompress(cr)
	if err == nil {
		lr := &limitReader{r: bufio.NewReaderSize(src, 64<<10), total: orDefault(p.MaxBytes, MaxGuideXMLBytes),
			window: orDefault(p.MaxElementBytes, MaxElementBytes)}
		lr.start()
		run := parseRun{ctx: ctx, d: newDecoder(lr), lr: lr, fn: fn, st: &st}
		if err = run.document(); err == nil {
			lr.start()
			err = drain(lr)
		}
	}
	st.Bytes = cr.n
	cr.report()
	return st, err
}

func orDefault(v, def int64) int64 {
	if v > 0 {
		return v
	}
	return def
}

// decompress returns r itself or a gzip reader over it, by the first bytes of content:
// sources serve .gz files under any name and Content-Type.
func decompress(r io.Reader) (io.Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	magic, err := br.Peek(6)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("read guide: %w", err)
	}
	switch {
	case len(magic) == 0:
		return nil, errors.New("read guide: empty input")
	case bytes.HasPrefix(magic, []byte{0x1f, 0x8b}):
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("open gzip guide: %w", err)
		}
		return zr, nil
	case bytes.HasPrefix(magic, []byte{0xfd, '7', 'z', 'X', 'Z', 0}):
		return nil, errors.New("open guide: xz compression is not supported; serve it plain or gzip")
	case bytes.HasPrefix(magic, []byte("PK\x03\x04")):
		return nil, errors.New("open guide: zip archives are not supported; serve it plain or gzip")
	}
	return br, nil
}

// drain reads what follows </tv>, so that gzip verifies its checksum and length and a
// damaged archive is an error even when the XML inside happens to end cleanly. It reads
// at most one element's worth; more trailing bytes are ignored.
func drain(src *limitReader) error {
	if _, err := io.Copy(io.Discard, io.LimitReader(src, src.window)); err != nil {
		return fmt.Errorf("read guide end: %w", err)
	}
	return nil
}

func newDecoder(r io.Reader) *xml.Decoder {
	d := xml.NewDecoder(r)
	d.Entity = xml.HTMLEntity // guides written by hand use &nbsp; and friends
	d.CharsetReader = charsetReader
	return d
}

// parseRun is the state of one Parse call.
type parseRun struct {
	ctx   context.Context
	d     *xml.Decoder
	lr    *limitReader
	fn    func(Item) error
	st    *Stats
	items int
	line  int // where the element being decoded starts, for warnings
}

// document reads the prolog, the <tv> root and its children up to </tv>.
func (r *parseRun) document() error {
	root, err := r.root()
	if err != nil {
		return err
	}
	if root.Name.Local != "tv" {
		return fmt.Errorf("parse guide: root element is <%s>, want <tv>", root.Name.Local)
	}
	for {
		r.lr.start() // each child, and the text between them, is bounded on its own
		tok, err := r.d.Token()
		if err != nil {
			return r.syntax(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := r.element(t); err != nil {
				return err
			}
		case xml.EndElement:
			return nil // </tv>; anything after it is not guide data
		}
	}
}

// root returns the first start element, skipping the prolog.
func (r *parseRun) root() (xml.StartElement, error) {
	for {
		r.lr.start()
		tok, err := r.d.Token()
		if errors.Is(err, io.EOF) {
			return xml.StartElement{}, errors.New("parse guide: no XML element in input")
		}
		if err != nil {
			return xml.StartElement{}, r.syntax(err)
		}
		if t, ok := tok.(xml.StartElement); ok {
			return t, nil
		}
	}
}

// element handles one child of <tv>.
func (r *parseRun) element(start xml.StartElement) error {
	r.items++
	if r.items%1024 == 0 {
		if err := r.ctx.Err(); err != nil {
			return fmt.Errorf("parse guide: %w", err)
		}
	}
	r.line, _ = r.d.InputPos()
	switch start.Name.Local {
	case "channel":
		return r.channel(start)
	case "programme":
		return r.programme(start)
	}
	if err := r.d.Skip(); err != nil {
		return r.syntax(err)
	}
	return nil
}

func (r *parseRun) channel(start xml.StartElement) error {
	var x xmlChannel
	if err := r.d.DecodeElement(&x, &start); err != nil {
		return r.syntax(err)
	}
	var c cutter
	ch, msg := x.channel(&c)
	if msg != "" {
		r.warn(msg)
		return nil
	}
	r.warnCut("channel "+ch.ID, c)
	r.st.Channels++
	return r.yield(Item{Channel: &ch})
}

func (r *parseRun) programme(start xml.StartElement) error {
	var x xmlProgramme
	if err := r.d.DecodeElement(&x, &start); err != nil {
		return r.syntax(err)
	}
	var c cutter
	p, msg := x.programme(&c)
	if msg != "" {
		r.warn(msg)
		return nil
	}
	r.warnCut("programme of "+p.Channel+" at "+p.Start.Format(time.RFC3339), c)
	r.st.Programmes++
	return r.yield(Item{Programme: &p})
}

func (r *parseRun) yield(it Item) error {
	if err := r.fn(it); err != nil {
		return fmt.Errorf("handle guide item: %w", err)
	}
	return nil
}

func (r *parseRun) warn(msg string) {
	r.st.Warnings++
	if len(r.st.Samples) < maxSamples {
		r.st.Samples = append(r.st.Samples, Warning{Line: r.line, Msg: msg})
	}
}

// warnCut reports an item kept with texts cut to their caps.
func (r *parseRun) warnCut(item string, c cutter) {
	if len(c.fields) > 0 {
		r.warn(item + ": cut to the length limit: " + strings.Join(c.fields, ", "))
	}
}

// syntax wraps a decoding error; io.EOF inside the document means it was cut short.
func (r *parseRun) syntax(err error) error {
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	line, _ := r.d.InputPos()
	return fmt.Errorf("parse guide at line %d: %w", line, err)
}

// countingReader counts the bytes read from the source and reports progress.
type countingReader struct {
	r        io.Reader
	n        int64
	reported int64
	progress func(int64)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.progress != nil && c.n-c.reported >= progressEvery {
		c.report()
	}
	return n, err
}

func (c *countingReader) report() {
	if c.progress != nil && c.n != c.reported {
		c.reported = c.n
		c.progress(c.n)
	}
}

// charsetReader decodes the single-byte encodings older guides declare. encoding/xml calls
// it only for encodings other than UTF-8.
func charsetReader(charset string, input io.Reader) (io.Reader, error) {
	switch strings.ToLower(charset) {
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii", "windows-1252", "cp1252":
		return &latin1Reader{r: bufio.NewReader(input)}, nil
	}
	return nil, fmt.Errorf("guide encoding %q is not supported", charset)
}

// latin1Reader turns ISO-8859-1 bytes into UTF-8. Windows-1252 is read the same way; its
// 0x80–0x9F punctuation becomes C1 controls, which is a cosmetic loss only.
type latin1Reader struct {
	r       *bufio.Reader
	buf     [utf8.UTFMax]byte
	pending []byte
}

func (l *latin1Reader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(l.pending) > 0 {
			c := copy(p[n:], l.pending)
			l.pending, n = l.pending[c:], n+c
			continue
		}
		b, err := l.r.ReadByte()
		if err != nil {
			if n > 0 {
				return n, nil
			}
			return 0, err
		}
		l.pending = utf8.AppendRune(l.buf[:0], rune(b))
	}
	return n, nil
}
