package xtream

import (
	"context"
	"encoding/base64"
	"math"
	"strconv"
	"time"

	"canale/server/internal/playlist"
	"canale/server/internal/subscriberview"
	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// xcTime is the panels' "YYYY-MM-DD HH:MM:SS" in the server time zone (UTC).
const xcTime = "2006-01-02 15:04:05"

func (a *API) handlePlayerAPI(c *gin.Context) {
	user, pass := credentials(c)
	s, err := a.authenticate(c, user, pass)
	if err != nil {
		a.fail(c, err)
		return
	}
	action := param(c, "action")
	if s.active && cachedActions[action] {
		a.serveCached(c, &s, action)
		return
	}
	if err := a.loadLineup(c, &s); err != nil {
		a.fail(c, err)
		return
	}
	switch action {
	case "get_live_categories":
		writeJSON(c, categories(s.lineup.LiveCategories, s.active))
	case "get_vod_categories":
		writeJSON(c, categories(s.lineup.VODCategories, s.active))
	case "get_series_categories":
		writeJSON(c, seriesCategories(&s))
	case "get_series":
		writeJSON(c, seriesList(s.lineup, param(c, "category_id")))
	case "get_series_info":
		writeJSON(c, seriesInfoBody(s.lineup, param(c, "series_id")))
	case "get_live_streams":
		writeJSON(c, liveStreams(s.lineup, s.links, param(c, "category_id")))
	case "get_vod_streams":
		writeJSON(c, vodStreams(s.lineup, param(c, "category_id")))
	case "get_vod_info":
		a.movieInfo(c, &s)
	case "get_short_epg":
		a.epg(c, s, false)
	case "get_simple_data_table":
		a.epg(c, s, true)
	default: // none, get_account_info, or unknown: account info, as panels do
		writeJSON(c, a.accountInfo(c, s))
	}
}

func (a *API) accountInfo(ctx context.Context, s session) accountInfo {
	now := a.deps.Now().UTC()
	var exp *string
	if !s.sub.ExpiresAt.IsZero() {
		v := strconv.FormatInt(s.sub.ExpiresAt.Unix(), 10)
		exp = &v
	}
	host, port, scheme := hostPort(s.links.Base)
	// Ports are numeric strings even when unused, as panels send them: a
	// strict client (the third-party library) refuses "" here. "0"
	// says "not offered": Canale has no RTMP, and an http base has no https.
	httpsPort := "0"
	if scheme == "https" {
		httpsPort = port
	}
	return accountInfo{
		UserInfo: userInfo{Username: s.sub.Login, Password: s.password, Message: a.deps.Message, Auth: 1,
			Status: s.sub.Access(now).String(), ExpDate: exp, IsTrial: boolString(s.sub.Trial), ActiveCons: a.activeCons(ctx, s.sub.ID),
			CreatedAt: strconv.FormatInt(s.sub.CreatedAt.Unix(), 10), MaxConnections: strconv.Itoa(s.sub.MaxSessions),
			AllowedOutputFormats: []string{"m3u8", "ts"}},
		ServerInfo: serverInfo{URL: host, Port: port, HTTPSPort: httpsPort, ServerProtocol: scheme, RTMPPort: "0",
			Timezone: "UTC", TimestampNow: now.Unix(), TimeNow: now.Format(xcTime), Process: true},
	}
}

func boolString(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func categories(cs []subscriberview.Category, active bool) []category {
	out := []category{}
	if !active {
		return out
	}
	for _, c := range cs {
		out = append(out, category{CategoryID: strconv.FormatInt(c.ID, 10), CategoryName: c.Name})
	}
	return out
}

// categoryFilter parses ?category_id=; ok is false when the filter is
// unusable, and then nothing matches, as panels answer an unknown category.
func categoryFilter(s string) (id int64, filter, ok bool) {
	if s == "" || s == "*" {
		return 0, false, true
	}
	id, err := strconv.ParseInt(s, 10, 64)
	return id, true, err == nil
}

func catIDs(id int64) []int64 {
	if id == 0 {
		return []int64{}
	}
	return []int64{id}
}

func liveStreams(l subscriberview.Lineup, links subscriberview.Links, cat string) []liveStream {
	out := make([]liveStream, 0, len(l.Channels))
	want, filter, ok := categoryFilter(cat)
	if !ok {
		return out
	}
	for i, ch := range l.Channels {
		if filter && ch.CategoryID != want {
			continue
		}
		num := ch.Number
		if num <= 0 {
			num = i + 1
		}
		archive := 0
		if ch.DVRDays > 0 {
			archive = 1
		}
		out = append(out, liveStream{Num: num, Name: displayTitle(ch), StreamType: "live", StreamID: ch.ID,
			StreamIcon: links.Logo(ch), EPGChannelID: tvgID(ch), Added: strconv.FormatInt(ch.Added.Unix(), 10),
			CategoryID: idString(ch.CategoryID), CategoryIDs: catIDs(ch.CategoryID), TVArchive: archive,
			TVArchiveDuration: ch.DVRDays})
	}
	return out
}

func displayTitle(ch subscriberview.Channel) string {
	if ch.Title != "" {
		return ch.Title
	}
	return ch.Name
}

func tvgID(ch subscriberview.Channel) string {
	return playlist.TVGID(playlist.Channel{ID: ch.ID, EPGID: ch.EPGChannelID})
}

// idString quotes a category id; no category is "0", never "".
func idString(id int64) string {
	return strconv.FormatInt(id, 10)
}

func vodStreams(l subscriberview.Lineup, cat string) []vodStream {
	out := make([]vodStream, 0, len(l.VOD))
	want, filter, ok := categoryFilter(cat)
	if !ok {
		return out
	}
	for i, v := range l.VOD {
		if filter && v.CategoryID != want {
			continue
		}
		year := movieYear(v)
		out = append(out, vodStream{Num: i + 1, Name: withYear(v.Title, year), StreamType: "movie", StreamID: v.ID,
			StreamIcon: v.PosterURL, Rating: rating(v.Rating), Rating5Based: rating5(v.Rating),
			Added: strconv.FormatInt(v.Added.Unix(), 10), CategoryID: idString(v.CategoryID),
			CategoryIDs: catIDs(v.CategoryID), ContainerExtension: container(v), Year: year,
			Plot: v.Description, Title: v.Title, TMDBID: v.Metadata.TMDBID, Cast: v.Metadata.Cast,
			Director: v.Metadata.Director, Genre: v.Metadata.Genre, ReleaseDate: v.Metadata.ReleaseDate,
			YoutubeTrailer: v.Metadata.Trailer, EpisodeRunTime: "0"})
	}
	return out
}

func rating(r float64) string { return strconv.FormatFloat(r, 'f', -1, 64) }

func container(v subscriberview.VOD) string {
	if v.Container == "" {
		return "mp4"
	}
	return v.Container
}

// clock formats d as "HH:MM:SS".
func clock(d time.Duration) string {
	s := int(d.Seconds())
	b := make([]byte, 0, 8)
	for i, v := range []int{s / 3600, s / 60 % 60, s % 60} {
		if i > 0 {
			b = append(b, ':')
		}
		if v < 10 {
			b = append(b, '0')
		}
		b = strconv.AppendInt(b, int64(v), 10)
	}
	return string(b)
}

// epg answers get_short_epg (current and next, ?limit=, default 4) and
// get_simple_data_table (the whole window, past included, with flags).
func (a *API) epg(c *gin.Context, s session, table bool) {
	out := epgListings{EPGListings: []epgListing{}}
	id, err := strconv.ParseInt(param(c, "stream_id"), 10, 64)
	ch, ok := s.lineup.Channel(id)
	if err != nil || !ok {
		writeJSON(c, out)
		return
	}
	now := a.deps.Now()
	limit := 4
	if n, err := strconv.Atoi(param(c, "limit")); err == nil && n > 0 {
		limit = n
	}
	from, to := now, now.Add(24*time.Hour)
	if table {
		from, to, limit = now.Add(-time.Duration(max(ch.DVRDays, 1))*24*time.Hour), now.Add(7*24*time.Hour), math.MaxInt
	}
	epgID := tvgID(ch)
	for p, err := range a.deps.Guide.Programmes(c, []string{epgID}, from, to) {
		if err != nil {
			a.deps.Logger.WarnContext(c, "read guide", "error", err)
			break
		}
		if len(out.EPGListings) >= limit {
			break
		}
		l := epgListing{ID: strconv.FormatInt(p.Start.Unix(), 10), EPGID: epgID,
			Title: base64.StdEncoding.EncodeToString([]byte(p.Title)), Lang: p.Lang,
			Start: p.Start.UTC().Format(xcTime), End: p.Stop.UTC().Format(xcTime),
			Description: base64.StdEncoding.EncodeToString([]byte(p.Desc)), ChannelID: epgID,
			StartTimestamp: strconv.FormatInt(p.Start.Unix(), 10), StopTimestamp: strconv.FormatInt(p.Stop.Unix(), 10),
			StreamID: strconv.FormatInt(ch.ID, 10)}
		if ch.InArchive(p.Start, p.Stop, now) {
			l.HasArchive = 1
		}
		if table {
			playing := 0
			if !now.Before(p.Start) && now.Before(p.Stop) {
				playing = 1
			}
			l.NowPlaying = &playing
		}
		out.EPGListings = append(out.EPGListings, l)
	}
	writeJSON(c, out)
}

// activeCons counts the subscriber's live sessions across every streamer
// and instance: the rows the session limit admits against. It is asked on
// an app's sign-in and refresh, not per stream, so a query is affordable;
// when the database cannot answer, the account still opens, showing "0".
func (a *API) activeCons(ctx context.Context, subscriberID int64) string {
	if a.deps.Plays == nil {
		return "0"
	}
	pg, err := a.deps.Plays.FindPlaySessions(ctx, api.PlaySessionFilter{SubscriberID: subscriberID}, api.ListParams{Limit: api.MaxLimit})
	if err != nil {
		a.deps.Logger.Debug("count live sessions for account info", "subscriber_id", subscriberID, "error", err)
		return "0"
	}
	return strconv.Itoa(len(pg.Items))
}
