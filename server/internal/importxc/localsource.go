package importxc

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"canale/shared/api"
)

// VODPath tells the import that the XC servers' directory Dir holds what
// Canale's VOD storage Prefix serves (`--vod-path DIR=PREFIX`): the file
// Dir/a/b.mkv becomes the stream name Prefix/a/b.mkv.
type VODPath struct {
	Dir    string
	Prefix string
}

// ParseVODPath reads a `--vod-path` value, DIR=PREFIX.
func ParseVODPath(s string) (VODPath, error) {
	dir, prefix, ok := strings.Cut(s, "=")
	dir = "/" + strings.Trim(strings.TrimSpace(dir), "/")
	prefix = strings.TrimSpace(prefix)
	if !ok || dir == "/" || prefix == "" {
		return VODPath{}, fmt.Errorf("--vod-path %q: want DIR=PREFIX, an absolute directory of the XC servers and a VOD storage prefix", s)
	}
	return VODPath{Dir: dir, Prefix: prefix}, nil
}

// LocalSource is a stream whose source was a file on an XC server rather
// than a URL, and what became of it. Every such row is listed, mapped or
// not, so no source disappears in silence.
type LocalSource struct {
	Table  string `json:"table"`
	ID     int64  `json:"id"`
	Source string `json:"source"`
	// StreamName is the VOD storage path it now plays from; "" when no
	// storage matched and the item was imported disabled, without a source.
	StreamName string `json:"stream_name,omitempty"`
	Reason     string `json:"reason,omitempty"`
}

// serverFile is XC's "file on streaming server N" source, s:N:/path.
var serverFile = regexp.MustCompile(`^s:\d+:`)

// localPath returns the file path of a source that names a file on an XC
// server (s:6:/home/…, /movies/…, file:///…), and false for a URL.
func localPath(src string) (string, bool) {
	p := serverFile.ReplaceAllString(strings.TrimSpace(src), "")
	p = strings.TrimPrefix(p, "file://")
	if !strings.HasPrefix(p, "/") {
		return "", false
	}
	return p, true
}

// vodStorages are the VOD locations a local file may map to: the
// operator's --vod-path directories first, then the prefixes of the
// vod_storages setting.
type vodStorages struct {
	paths    []VODPath
	prefixes map[string]bool
}

// loadVODStorages reads the vod_storages setting and checks that every
// --vod-path names one of its prefixes.
func (im *importer) loadVODStorages(ctx context.Context) error {
	storages, err := im.ci.VODStorages(ctx)
	if err != nil {
		return err
	}
	im.storages = vodStorages{paths: im.opts.VODPaths, prefixes: map[string]bool{}}
	for _, s := range storages {
		im.storages.prefixes[s.Prefix] = true
	}
	for _, p := range im.opts.VODPaths {
		if !im.storages.prefixes[p.Prefix] {
			return api.Errorf(api.CodeInvalid, "--vod-path %s=%s: no VOD storage has prefix %q; add it under Settings → VOD storages first", p.Dir, p.Prefix, p.Prefix)
		}
	}
	return nil
}

// streamName maps the file path to a VOD storage path: through the first
// --vod-path whose directory holds it, else through the first directory of
// the path named like a storage prefix (/home/xc/films/a.mkv with storage
// "films" gives films/a.mkv). It says why when neither fits.
func (v vodStorages) streamName(path string) (string, string) {
	name := ""
	for _, p := range v.paths {
		if rest, ok := strings.CutPrefix(path, p.Dir+"/"); ok {
			name = p.Prefix + "/" + rest
			break
		}
	}
	if name == "" {
		segs := strings.Split(strings.Trim(path, "/"), "/")
		for i, seg := range segs[:len(segs)-1] {
			if v.prefixes[seg] {
				name = strings.Join(segs[i:], "/")
				break
			}
		}
	}
	switch {
	case name == "":
		return "", "no VOD storage prefix matches (name one with --vod-path DIR=PREFIX)"
	case !api.ValidVODPath(name):
		return "", fmt.Sprintf("%q is not a VOD path Flussonic serves (letters, digits, _ - . and /)", name)
	}
	return name, ""
}

// vodSource places a movie or episode whose first source is a local file
// on its VOD storage path, reporting the row either way. ok is false when
// the source is a URL, which plays as it is.
func (im *importer) vodSource(table string, id int64, src string) (streamName string, ok bool) {
	path, local := localPath(src)
	if !local {
		return "", false
	}
	name, why := im.storages.streamName(path)
	if why != "" {
		why += "; imported disabled, without a source"
	}
	im.rep.LocalSources = append(im.rep.LocalSources, LocalSource{Table: table, ID: id, Source: src, StreamName: name, Reason: why})
	return name, true
}

// channelSources drops the local files from a channel's sources (Canale's
// channels pull URLs), listing each dropped one.
func (im *importer) channelSources(id int64, srcs []string) []string {
	out := srcs[:0:0]
	for _, s := range srcs {
		if _, local := localPath(s); local {
			im.rep.LocalSources = append(im.rep.LocalSources, LocalSource{Table: "streams", ID: id, Source: s,
				Reason: "a live channel pulls URLs; the file source was left out"})
			continue
		}
		out = append(out, s)
	}
	return out
}
