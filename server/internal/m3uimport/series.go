package m3uimport

import (
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"

	"canale/shared/api"
)

// episodeTitle reads the names XC panels give episodes in M3U playlists:
// "Harbour Lights S01E02", "Harbour Lights - S01 E02 - Low Tide",
// "Harbour.Lights.s1e2".
var episodeTitle = regexp.MustCompile(`^(.+?)[\s._-]*[Ss](\d{1,4})[\s._-]*[Ee](\d{1,5})(?:\s*[-–:|.]\s*(.*))?$`)

// Series groups a playlist's episodes into series and seasons by their
// titles, in the playlist's order, each episode playing from its URL. An
// entry whose title names no season and episode, or repeats one, is
// returned as skipped with its line; the playlist's logos become the
// series' covers.
func Series(entries []Entry) (api.SeriesImportBody, []api.ImportLine) {
	var body api.SeriesImportBody
	var skipped []api.ImportLine
	bySeries := map[string]int{}
	seen := map[string]bool{}
	for _, e := range entries {
		title := strings.TrimSpace(e.Channel.Title)
		m := episodeTitle.FindStringSubmatch(title)
		if m == nil {
			skipped = append(skipped, api.ImportLine{Line: e.Line, Name: title, Reason: "title names no season and episode (S01E02)"})
			continue
		}
		name := strings.TrimSpace(strings.NewReplacer(".", " ", "_", " ").Replace(m[1]))
		season, _ := strconv.Atoi(m[2])
		episode, _ := strconv.Atoi(m[3])
		key := strings.ToLower(name)
		if k := key + "\x00" + m[2] + "\x00" + m[3]; seen[k] {
			skipped = append(skipped, api.ImportLine{Line: e.Line, Name: title, Reason: "the same episode is listed before"})
			continue
		} else {
			seen[k] = true
		}
		i, ok := bySeries[key]
		if !ok {
			i = len(body.Series)
			bySeries[key] = i
			body.Series = append(body.Series, api.SeriesImport{SeriesCreate: api.SeriesCreate{Title: name}})
		}
		s := &body.Series[i]
		if s.CoverURL == "" && strings.HasPrefix(e.Channel.LogoURL, "http") {
			s.CoverURL = e.Channel.LogoURL
		}
		z := seasonOf(s, season)
		var src string
		if len(e.Channel.Sources) > 0 {
			src = e.Channel.Sources[0].URL
		}
		z.Episodes = append(z.Episodes, api.EpisodeCreate{EpisodeNum: episode, Title: strings.TrimSpace(m[4]),
			SourceURL: src, Container: containerOf(src)})
	}
	return body, skipped
}

// seasonOf returns the season of s with that number, adding it if needed.
func seasonOf(s *api.SeriesImport, number int) *api.SeasonImport {
	for i := range s.Seasons {
		if s.Seasons[i].SeasonNumber == number {
			return &s.Seasons[i]
		}
	}
	s.Seasons = append(s.Seasons, api.SeasonImport{Season: api.Season{SeasonNumber: number}})
	return &s.Seasons[len(s.Seasons)-1]
}

// containerOf is the extension of a URL's path when it looks like one
// (mp4, mkv...), else "" (the default, mp4).
func containerOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	ext := strings.ToLower(strings.TrimPrefix(path.Ext(u.Path), "."))
	if len(ext) > 10 || !api.ValidStreamName(ext) {
		return ""
	}
	return ext
}
