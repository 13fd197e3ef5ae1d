package importxc

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"canale/server/internal/store"
)

// importServers maps XC streaming servers to streamers, keeping their ids.
// They are imported disabled: an XC server is not a Flussonic Media Server,
// and Canale must not poll it until one is installed and its API URL and
// credentials are entered.
func (im *importer) importServers(ctx context.Context) error {
	rows, err := im.src.read(ctx, im.src.names.servers, "id")
	if err != nil {
		return err
	}
	var out []store.ImportStreamer
	var used labels
	for _, r := range rows {
		id := r.int("id")
		host := firstHost(r.str("domain_name"))
		if host == "" {
			host = r.str("server_ip")
		}
		if id <= 0 || host == "" {
			im.rep.skip(im.src.names.servers, id, "no id or no address")
			continue
		}
		name := r.str("server_name")
		if name == "" {
			name = "server-" + strconv.FormatInt(id, 10)
		}
		name, renamed := used.unique(name)
		if renamed {
			im.rep.note("streamer %d renamed %q (name taken)", id, name)
		}
		out = append(out, store.ImportStreamer{ID: id, Name: name, APIURL: "http://" + host, Enabled: false})
	}
	if len(out) > 0 {
		im.rep.note("%d streamers imported disabled with api_url http://<address>: install Flussonic, set the API URL and credentials, then enable them", len(out))
	}
	im.rep.Imported["streamers"] = len(out)
	return im.ci.Streamers(ctx, out)
}

// firstHost takes the first of XC's comma or space separated domain names.
func firstHost(s string) string {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == ';' })
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// categoryKinds maps XC category types to Canale kinds.
var categoryKinds = map[string]string{"live": "live", "radio": "live", "movie": "vod", "series": "series"}

func (im *importer) importCategories(ctx context.Context) error {
	table := im.src.names.categories
	rows, err := im.src.read(ctx, table, "id")
	if err != nil {
		return err
	}
	im.categories = map[int64]string{}
	used := map[string]*labels{"live": {}, "vod": {}, "series": {}}
	var out []store.ImportCategory
	for _, r := range rows {
		id, typ := r.int("id"), strings.ToLower(r.str("category_type"))
		kind, ok := categoryKinds[typ]
		switch {
		case id <= 0:
			im.rep.skip(table, id, "no id")
			continue
		case !ok:
			im.rep.skip(table, id, fmt.Sprintf("category type %q has no Canale equivalent", typ))
			continue
		}
		name := r.str("category_name")
		if name == "" {
			name = "Category " + strconv.FormatInt(id, 10)
		}
		name, renamed := used[kind].unique(name)
		if renamed {
			im.rep.note("category %d renamed %q (name taken)", id, name)
		}
		im.categories[id] = kind
		out = append(out, store.ImportCategory{ID: id, Kind: kind, Name: name, Position: int(r.int("cat_order"))})
	}
	im.rep.Imported["categories"] = len(out)
	return im.ci.Categories(ctx, out)
}

// streamTypes are XC's default streams_types rows, used when the table is
// missing.
var streamTypes = map[int64]string{1: "live", 2: "movie", 3: "created_live", 4: "radio_streams", 5: "series"}

func (im *importer) readStreamTypes(ctx context.Context) (map[int64]string, error) {
	rows, err := im.src.read(ctx, "streams_types", "type_id")
	if err != nil || len(rows) == 0 {
		return streamTypes, err
	}
	types := map[int64]string{}
	for _, r := range rows {
		types[r.int("type_id")] = r.str("type_key")
	}
	return types, nil
}

// importStreams maps live, created and radio streams to channels and movies
// to VOD, keeping the XC stream ids in both.
func (im *importer) importStreams(ctx context.Context) error {
	types, err := im.readStreamTypes(ctx)
	if err != nil {
		return err
	}
	rows, err := im.src.read(ctx, "streams", "id")
	if err != nil {
		return err
	}
	im.channels, im.vod, im.episodeStreams = map[int64]bool{}, map[int64]bool{}, map[int64]row{}
	im.channelEPG = map[int64]int64{}
	var channels []store.ImportChannel
	var vod []store.ImportVOD
	var used names
	for _, r := range rows {
		id := r.int("id")
		if id <= 0 {
			im.rep.skip("streams", id, "no id")
			continue
		}
		switch typ := types[r.int("type")]; typ {
		case "live", "created_live", "radio_streams":
			channels = append(channels, im.channel(r, id, &used))
			im.channels[id] = true
			if e := r.int("epg_id"); e > 0 {
				im.channelEPG[id] = e
			}
		case "movie":
			vod = append(vod, im.movie(r, id))
			im.vod[id] = true
		case "series":
			im.episodeStreams[id] = r // imported, or skipped, with the series
		default:
			im.rep.skip("streams", id, fmt.Sprintf("unknown stream type %d", r.int("type")))
		}
	}
	if im.renamed > maxListedIDs {
		im.rep.note("and %d more channels not named after their title (taken, or no letter to spell it with)", im.renamed-maxListedIDs)
	}
	im.rep.Imported["channels"] = len(channels)
	im.rep.Imported["vod"] = len(vod)
	if err := im.ci.Channels(ctx, channels); err != nil {
		return err
	}
	return im.ci.VOD(ctx, vod)
}

func (im *importer) channel(r row, id int64, used *names) store.ImportChannel {
	title := r.str("stream_display_name")
	if title == "" {
		title = "Channel " + strconv.FormatInt(id, 10)
	}
	name, why := used.unique(title, "channel", id)
	if why != "" {
		im.renamed++
		if im.renamed <= maxListedIDs {
			im.rep.note("channel %d %q named %q: %s", id, title, name, why)
		}
	}
	type source struct {
		URL      string `json:"url"`
		Priority int    `json:"priority"`
	}
	sources := []source{}
	for i, u := range im.channelSources(id, r.strs("stream_source")) {
		sources = append(sources, source{URL: u, Priority: i + 1})
	}
	js, _ := json.Marshal(sources)
	created, _ := r.unixTime("added")
	return store.ImportChannel{
		ID: id, Name: name, Title: title, LogoURL: unescapePHP(r.str("stream_icon")),
		CategoryID: im.category(r, "live"), Number: int(max(r.int("order"), 0)), Sources: js,
		EPGChannelID: r.str("channel_id"), DVRDays: int(max(min(r.int("tv_archive_duration"), 3650), 0)),
		Enabled: true, CreatedAt: created,
	}
}

// category is the stream's category if one of its kind was imported: an
// int in XC, a JSON list in XUI (the first fitting one wins; Canale has one
// category per channel or movie).
func (im *importer) category(r row, kind string) *int64 {
	for _, id := range r.ids("category_id") {
		if im.categories[id] == kind {
			return &id
		}
	}
	return nil
}

var containerRe = regexp.MustCompile(`^[a-z0-9]{1,8}$`)

// vodStream is what movie and episode streams share: a title, where they
// play from (first source; container mp4 when the panel's is missing or not
// a plain extension), a picture, a plot, a rating, their TMDb-style
// metadata JSON and when they were added.
type vodStream struct {
	props                                    map[string]any
	title, sourceURL, container, image, plot string
	rating                                   float64
	added                                    time.Time
}

// readVODStream reads a movie or episode stream; untitled is its title when
// the panel gives none.
func readVODStream(r row, untitled string) vodStream {
	v := vodStream{props: r.object("movie_propeties"), container: "mp4"} // sic, XC
	if len(v.props) == 0 {
		v.props = r.object("movie_properties") // XUI
	}
	v.title = cmp.Or(r.str("stream_display_name"), field(v.props, "name"), untitled)
	if c := r.strs("target_container"); len(c) > 0 && containerRe.MatchString(strings.ToLower(c[0])) {
		v.container = strings.ToLower(c[0])
	}
	if s := r.strs("stream_source"); len(s) > 0 {
		v.sourceURL = s[0]
	}
	v.image = cmp.Or(field(v.props, "movie_image"), field(v.props, "cover_big"), unescapePHP(r.str("stream_icon")))
	v.plot = cmp.Or(field(v.props, "plot"), field(v.props, "description"))
	v.rating = r.float("rating")
	if v.rating == 0 {
		v.rating, _ = strconv.ParseFloat(field(v.props, "rating"), 64)
	}
	v.rating = max(min(v.rating, 99.99), 0)
	v.added, _ = r.unixTime("added")
	return v
}

func (im *importer) movie(r row, id int64) store.ImportVOD {
	v := readVODStream(r, "Movie "+strconv.FormatInt(id, 10))
	props := v.props
	year := int(r.int("year"))
	if year == 0 {
		year = leadingYear(field(props, "releasedate") + field(props, "release_date"))
	}
	streamName, sourceURL, enabled := slugify(v.title), v.sourceURL, true
	if name, local := im.vodSource("streams", id, v.sourceURL); local {
		streamName, sourceURL, enabled = name, "", name != ""
	}
	return store.ImportVOD{
		ID: id, Title: v.title, StreamName: streamName, SourceURL: sourceURL, Container: v.container,
		CategoryID: im.category(r, "vod"), PosterURL: v.image, Description: v.plot,
		DurationS: int(max(min(parseInt(field(props, "duration_secs")), 1<<30), 0)), Year: max(year, 0),
		Rating: v.rating, Enabled: enabled, CreatedAt: v.added,
	}
}

func leadingYear(s string) int {
	if len(s) >= 4 {
		if y, err := strconv.Atoi(s[:4]); err == nil && y > 1800 && y < 3000 {
			return y
		}
	}
	return 0
}

// importBouquets maps XC bouquets to Canale packages, keeping the bouquet
// ids that lines refer to. XC keeps movies inside bouquet_channels; XUI adds
// bouquet_movies and bouquet_radios; bouquet_series lists series ids. Each id goes to the package's channels
// or VOD by what the stream became; ids of streams that were not imported
// are dropped and counted.
func (im *importer) importBouquets(ctx context.Context) error {
	rows, err := im.src.read(ctx, "bouquets", "id")
	if err != nil {
		return err
	}
	im.packages, im.bouquets = map[int64]bool{}, map[int64]store.ImportPackage{}
	var out []store.ImportPackage
	used := &im.packageNames
	dangling, danglingSeries := 0, 0
	for _, r := range rows {
		id := r.int("id")
		if id <= 0 {
			im.rep.skip("bouquets", id, "no id")
			continue
		}
		name := r.str("bouquet_name")
		if name == "" {
			name = "Bouquet " + strconv.FormatInt(id, 10)
		}
		name, renamed := used.unique(name)
		if renamed {
			im.rep.note("bouquet %d renamed %q (name taken)", id, name)
		}
		p := store.ImportPackage{ID: id, Name: name}
		seen := map[int64]bool{}
		for _, sid := range r.ids("bouquet_series") {
			if im.series[sid] {
				p.SeriesIDs = append(p.SeriesIDs, sid)
			} else {
				danglingSeries++
			}
		}
		for _, col := range []string{"bouquet_channels", "bouquet_movies", "bouquet_radios"} {
			for _, sid := range r.ids(col) {
				switch {
				case seen[sid]:
				case im.channels[sid]:
					p.ChannelIDs = append(p.ChannelIDs, sid)
				case im.vod[sid]:
					p.VODIDs = append(p.VODIDs, sid)
				default:
					dangling++
				}
				seen[sid] = true
			}
		}
		im.packages[id] = true
		im.bouquets[id] = p
		im.rep.Imported["package_channels"] += len(p.ChannelIDs)
		im.rep.Imported["package_vod"] += len(p.VODIDs)
		im.rep.Imported["package_series"] += len(p.SeriesIDs)
		out = append(out, p)
	}
	if dangling > 0 {
		im.rep.note("%d bouquet entries name streams that were not imported (missing, series or skipped) and were dropped", dangling)
	}
	if danglingSeries > 0 {
		im.rep.note("%d bouquet_series entries name series that were not imported (missing or skipped) and were dropped", danglingSeries)
	}
	im.rep.Imported["packages"] = len(out)
	return im.ci.Packages(ctx, out)
}
