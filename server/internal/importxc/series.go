package importxc

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"canale/server/internal/store"
)

// importSeries maps XC series (`series` in Xtream UI, `streams_series` in
// XUI.one) to Canale series, keeping their ids, and their episode rows
// (`series_episodes` / `streams_episodes`) to seasons and episodes. An
// episode keeps the id of its type-5 stream, the id apps put in
// /series/U/P/<id>.<ext> URLs. Every type-5 stream no episode row places in
// an imported series, and every episode row that cannot be placed, is
// reported skipped with the reason.
func (im *importer) importSeries(ctx context.Context) error {
	table := im.src.names.series
	rows, err := im.src.read(ctx, table, "id")
	if err != nil {
		return err
	}
	im.series = map[int64]bool{}
	seasonInfo := map[int64]map[int]store.ImportSeason{}
	var series []store.ImportSeries
	for _, r := range rows {
		id := r.int("id")
		if id <= 0 {
			im.rep.skip(table, id, "no id")
			continue
		}
		s := im.seriesRow(r, id)
		im.series[id] = true
		seasonInfo[id] = seasonsJSON(r)
		series = append(series, s)
	}
	seasons, episodes, err := im.readEpisodes(ctx, seasonInfo)
	if err != nil {
		return err
	}
	for _, id := range slices.Sorted(maps.Keys(im.episodeStreams)) {
		im.rep.skip("streams", id, "series episode in no imported series (no episode row links it)")
	}
	im.rep.Imported["series"] = len(series)
	im.rep.Imported["seasons"] = len(seasons)
	im.rep.Imported["episodes"] = len(episodes)
	return im.ci.Series(ctx, series, seasons, episodes)
}

func (im *importer) seriesRow(r row, id int64) store.ImportSeries {
	title := r.str("title")
	if title == "" {
		title = "Series " + strconv.FormatInt(id, 10)
	}
	cover := unescapePHP(r.str("cover"))
	if cover == "" {
		cover = unescapePHP(r.str("cover_big"))
	}
	released := parseDate(r.str("releasedate")) // XC's releaseDate, lower-cased by read
	if released == nil {
		released = parseDate(r.str("release_date")) // XUI
	}
	created, _ := r.unixTime("last_modified")
	return store.ImportSeries{
		ID: id, Title: title, CategoryID: im.category(r, "series"), CoverURL: cover, Plot: r.str("plot"),
		Cast: r.str("cast"), Director: r.str("director"), Genre: r.str("genre"), ReleaseDate: released,
		Rating: max(min(r.float("rating"), 99.99), 0), BackdropURLs: r.strs("backdrop_path"),
		Trailer: r.str("youtube_trailer"), TMDBID: im.tmdbID(r.str("tmdb_id"), "series", id),
		EpisodeRunTime: int(max(min(r.int("episode_run_time"), 1<<20), 0)), CreatedAt: created,
	}
}

// seasonsJSON reads a series' `seasons` column, TMDb's season list as XC
// copied it, by season number. It gives seasons their names, overviews,
// covers and air dates; which seasons exist is decided by the episodes.
func seasonsJSON(r row) map[int]store.ImportSeason {
	var list []map[string]any
	if err := unmarshalNumbers(r.str("seasons"), &list); err != nil {
		return nil
	}
	out := map[int]store.ImportSeason{}
	for _, m := range list {
		n, err := strconv.Atoi(field(m, "season_number"))
		if err != nil || n < 0 {
			continue
		}
		cover := field(m, "cover")
		if cover == "" {
			cover = field(m, "cover_big")
		}
		out[n] = store.ImportSeason{SeasonNumber: n, Name: field(m, "name"), Overview: field(m, "overview"),
			CoverURL: cover, AirDate: parseDate(field(m, "air_date"))}
	}
	return out
}

// episodeRef is one episode row of the panel, placed or not yet.
type episodeRef struct {
	seriesID, streamID int64
	season, wanted     int // wanted: the panel's episode number, 0 when none
	stream             row
}

// readEpisodes places each episode row's stream in its series' season. XC
// has no episode number (its `sort` acts as one), XUI has `episode_num`; an
// episode without one, or whose number is taken in its season, is numbered
// after the last one there, in stream id order.
func (im *importer) readEpisodes(ctx context.Context, seasonInfo map[int64]map[int]store.ImportSeason) ([]store.ImportSeason, []store.ImportEpisode, error) {
	table := im.src.names.episodes
	rows, err := im.src.read(ctx, table, "stream_id")
	if err != nil {
		return nil, nil, err
	}
	numCol := "episode_num"
	if len(rows) > 0 && !rows[0].has(numCol) {
		numCol = "sort"
	}
	var refs []episodeRef
	claimed := map[int64]int64{} // stream id → the series it is an episode of
	for _, r := range rows {
		e := episodeRef{seriesID: r.int("series_id"), streamID: r.int("stream_id"), season: int(r.int("season_num")),
			wanted: int(max(min(r.int(numCol), 1<<20), 0))}
		switch {
		case !im.series[e.seriesID]:
			im.rep.skip(table, e.streamID, fmt.Sprintf("series %d was not imported", e.seriesID))
		case e.season < 0 || e.season > 1<<20:
			im.rep.skip(table, e.streamID, fmt.Sprintf("season number %d is not a season", e.season))
		case claimed[e.streamID] != 0:
			im.rep.skip(table, e.streamID, fmt.Sprintf("stream is already an episode of series %d", claimed[e.streamID]))
		case im.episodeStreams[e.streamID] == nil:
			im.rep.skip(table, e.streamID, "stream is not a series episode (missing, or another type)")
		default:
			// Claimed: a second row naming the stream is skipped, and
			// what stays in episodeStreams is in no series.
			e.stream = im.episodeStreams[e.streamID]
			delete(im.episodeStreams, e.streamID)
			claimed[e.streamID] = e.seriesID
			refs = append(refs, e)
		}
	}
	// Numbered ones first, in their order, then the rest by stream id.
	unset := func(e episodeRef) int {
		if e.wanted == 0 {
			return 1
		}
		return 0
	}
	slices.SortStableFunc(refs, func(a, b episodeRef) int {
		return cmp.Or(cmp.Compare(a.seriesID, b.seriesID), cmp.Compare(a.season, b.season),
			cmp.Compare(unset(a), unset(b)), cmp.Compare(a.wanted, b.wanted), cmp.Compare(a.streamID, b.streamID))
	})
	type seasonKey struct {
		series int64
		season int
	}
	seasonIDs := map[seasonKey]int64{}
	taken := map[seasonKey]map[int]bool{}
	last := map[seasonKey]int{}
	var seasons []store.ImportSeason
	var episodes []store.ImportEpisode
	unnumbered := 0
	for _, e := range refs {
		k := seasonKey{e.seriesID, e.season}
		if _, ok := seasonIDs[k]; !ok {
			z := seasonInfo[e.seriesID][e.season]
			z.ID, z.SeriesID, z.SeasonNumber = int64(len(seasons)+1), e.seriesID, e.season
			switch {
			case z.Name != "":
			case e.season == 0:
				z.Name = "Specials" // TMDb's season 0
			default:
				z.Name = "Season " + strconv.Itoa(e.season)
			}
			seasonIDs[k], taken[k] = z.ID, map[int]bool{}
			seasons = append(seasons, z)
		}
		num := e.wanted
		if num == 0 || taken[k][num] {
			if num != 0 {
				im.rep.note("episode %d (series %d season %d) numbered %d: episode %d is taken", e.streamID, e.seriesID, e.season, last[k]+1, num)
			} else {
				unnumbered++
			}
			num = last[k] + 1
		}
		taken[k][num], last[k] = true, max(last[k], num)
		episodes = append(episodes, im.episode(e.stream, e.streamID, seasonIDs[k], num))
	}
	if unnumbered > 0 {
		im.rep.note("%d episodes had no episode number (XC `sort` 0) and were numbered after their season's last, in stream id order", unnumbered)
	}
	extra := 0
	for id, info := range seasonInfo {
		for n := range info {
			if _, ok := seasonIDs[seasonKey{id, n}]; !ok {
				extra++
			}
		}
	}
	if extra > 0 {
		im.rep.note("%d seasons listed in series' `seasons` JSON have no episodes on the panel and were not created", extra)
	}
	return seasons, episodes, nil
}

// episode maps a type-5 stream to an episode: its source and container as
// for movies, its metadata from movie_propeties.
func (im *importer) episode(r row, id, seasonID int64, num int) store.ImportEpisode {
	v := readVODStream(r, "Episode "+strconv.Itoa(num))
	duration := parseInt(field(v.props, "duration_secs"))
	if duration == 0 {
		duration = clockSeconds(field(v.props, "duration"))
	}
	released := parseDate(field(v.props, "releasedate"))
	if released == nil {
		released = parseDate(field(v.props, "release_date"))
	}
	streamName, sourceURL, disabled := slugify(v.title), v.sourceURL, false
	if name, local := im.vodSource("streams", id, v.sourceURL); local {
		streamName, sourceURL, disabled = name, "", name == ""
	}
	return store.ImportEpisode{
		ID: id, SeasonID: seasonID, EpisodeNum: num, Title: v.title, StreamName: streamName,
		SourceURL: sourceURL, Container: v.container, Plot: v.plot, DurationS: int(max(min(duration, 1<<30), 0)),
		Rating: v.rating, ReleaseDate: released, ImageURL: v.image,
		TMDBID: im.tmdbID(field(v.props, "tmdb_id"), "episode", id), CreatedAt: v.added, Disabled: disabled,
	}
}

// tmdbID keeps a TMDb id that is digits; anything else is dropped and
// noted, since Canale checks the column.
func (im *importer) tmdbID(s, what string, id int64) string {
	if strings.Trim(s, "0123456789") == "" {
		return s
	}
	im.rep.note("%s %d: tmdb_id %q is not a number and was dropped", what, id, s)
	return ""
}

// parseDate reads a YYYY-MM-DD date at the start of s; nil when there is
// none (XC apps break on made-up dates, so a year alone stays unknown).
func parseDate(s string) *time.Time {
	if len(s) < 10 {
		return nil
	}
	t, err := time.Parse(time.DateOnly, s[:10])
	if err != nil || t.Year() < 1800 {
		return nil
	}
	return &t
}

// clockSeconds reads XC's "HH:MM:SS" duration.
func clockSeconds(s string) int64 {
	p := strings.Split(s, ":")
	if len(p) != 3 {
		return 0
	}
	var total int64
	for _, part := range p {
		n, err := strconv.ParseInt(part, 10, 64)
		if err != nil || n < 0 {
			return 0
		}
		total = total*60 + n
	}
	return total
}
