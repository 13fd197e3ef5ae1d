package stalker

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"canale/server/internal/playlist"
	"canale/server/internal/subscriberview"
)

// epgPageSize is the page of epg/get_simple_data_table (§6.2).
const epgPageSize = 10

// zone is the box's time zone from its timezone cookie, UTC when missing
// or unknown (§1.3); EPG time strings are written in it.
func zone(q *request) *time.Location {
	name, err := q.c.Cookie("timezone")
	if err != nil || name == "" || name == "undefined" {
		return time.UTC
	}
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC
	}
	zones.Store(name, loc)
	return loc
}

// zones caches loaded time zones; the names are the IANA ones, so it stays small.
var zones sync.Map

// guideID is the XMLTV id the guide keys a channel's programmes by.
func guideID(ch subscriberview.Channel) string {
	return playlist.TVGID(playlist.Channel{ID: ch.ID, EPGID: ch.EPGChannelID})
}

// programmes reads ch's programmes overlapping [from, to).
func (a *API) programmes(q *request, ch subscriberview.Channel, from, to time.Time) ([]playlist.Programme, error) {
	var out []playlist.Programme
	for p, err := range a.deps.Guide.Programmes(q.c, []string{guideID(ch)}, from, to) {
		if err != nil {
			return out, err
		}
		out = append(out, p)
	}
	return out, nil
}

// programmeID names a programme so tv_archive/create_link finds it again:
// <start unix>_<channel id>, XC_VM's <programme>_<channel> layout (§7.2).
func programmeID(ch subscriberview.Channel, p playlist.Programme) string {
	return strconv.FormatInt(p.Start.Unix(), 10) + "_" + strconv.FormatInt(ch.ID, 10)
}

// programmeItem is one programme (§6.1).
func programmeItem(q *request, ch subscriberview.Channel, p playlist.Programme, loc *time.Location) map[string]any {
	const layout = "2006-01-02 15:04:05"
	start, stop := p.Start.In(loc), p.Stop.In(loc)
	archived := 0
	if ch.DVRDays > 0 && !p.Stop.After(q.now) && p.Start.After(q.now.Add(-time.Duration(ch.DVRDays)*24*time.Hour)) {
		archived = 1
	}
	return map[string]any{"id": programmeID(ch, p), "ch_id": strconv.FormatInt(ch.ID, 10), "time": start.Format(layout),
		"time_to": stop.Format(layout), "duration": int(p.Stop.Sub(p.Start).Seconds()), "name": p.Title, "descr": p.Desc,
		"real_id": strconv.FormatInt(ch.ID, 10) + "_" + strconv.FormatInt(p.Start.Unix(), 10), "category": strings.Join(p.Categories, ", "),
		"director": "", "actor": "", "t_time": start.Format("15:04"), "t_time_to": stop.Format("15:04"),
		"start_timestamp": p.Start.Unix(), "stop_timestamp": p.Stop.Unix(), "mark_memo": 0, "mark_rec": 0,
		"mark_archive": archived, "open": b2i(p.Stop.After(q.now))}
}

// channelParam is the channel of ch_id, if the subscriber may watch it.
func channelParam(q *request, s *session, name string) (subscriberview.Channel, bool) {
	id, err := strconv.ParseInt(q.param(name), 10, 64)
	if err != nil {
		return subscriberview.Channel{}, false
	}
	return s.lineup.Channel(id)
}

// getShortEPG returns the programme on now and the next ones (§6.2).
func (a *API) getShortEPG(q *request, s *session) (any, error) {
	ch, ok := channelParam(q, s, "ch_id")
	if !ok {
		return []any{}, nil
	}
	size, err := strconv.Atoi(q.param("size"))
	if err != nil || size <= 0 || size > 50 {
		size = 4
	}
	ps, err := a.programmes(q, ch, q.now, q.now.Add(24*time.Hour))
	if err != nil {
		return nil, err
	}
	loc := zone(q)
	out := []any{}
	for _, p := range ps[:min(size, len(ps))] {
		out = append(out, programmeItem(q, ch, p, loc))
	}
	return out, nil
}

// getWeek lists the days the EPG tables cover: the archive depth of the
// subscriber's channels back (at least a week) and three days ahead.
func (a *API) getWeek(q *request, s *session) (any, error) {
	back := 7
	for _, ch := range s.lineup.Channels {
		back = max(back, min(ch.DVRDays, 31))
	}
	loc := zone(q)
	today := q.now.In(loc)
	out := []any{}
	for d := -back; d <= 3; d++ {
		day := today.AddDate(0, 0, d)
		out = append(out, map[string]any{"f_human": day.Format("Mon 02 Jan"), "f_mysql": day.Format("2006-01-02"),
			"today": b2i(d == 0)})
	}
	return out, nil
}

// getSimpleDataTable pages one channel's programmes of one day. Asked for
// page 0 of today, it picks the page of the programme on now (§6.2).
func (a *API) getSimpleDataTable(q *request, s *session) (any, error) {
	env := envelope{MaxPageItems: epgPageSize, Data: []any{}}
	ch, ok := channelParam(q, s, "ch_id")
	if !ok {
		return env, nil
	}
	loc := zone(q)
	day, err := time.ParseInLocation("2006-01-02", q.param("date"), loc)
	if err != nil {
		y, m, d := q.now.In(loc).Date()
		day = time.Date(y, m, d, 0, 0, 0, 0, loc)
	}
	ps, err := a.programmes(q, ch, day, day.AddDate(0, 0, 1))
	if err != nil {
		return nil, err
	}
	env.TotalItems = len(ps)
	p, _ := strconv.Atoi(q.param("p"))
	if p <= 0 {
		p = 1
		if day.Format("2006-01-02") == q.now.In(loc).Format("2006-01-02") {
			for i, pr := range ps {
				if !pr.Start.After(q.now) && pr.Stop.After(q.now) {
					p, env.SelectedItem = i/epgPageSize+1, i%epgPageSize+1
				}
			}
		}
		env.CurPage = p
	}
	for i := (p - 1) * epgPageSize; i < min(p*epgPageSize, len(ps)); i++ {
		env.Data = append(env.Data, programmeItem(q, ch, ps[i], loc))
	}
	return env, nil
}

// getAllProgramForCh lists one channel's programmes from today 00:00 on.
func (a *API) getAllProgramForCh(q *request, s *session) (any, error) {
	ch, ok := channelParam(q, s, "ch_id")
	if !ok {
		return []any{}, nil
	}
	y, m, d := q.now.In(zone(q)).Date()
	from := time.Date(y, m, d, 0, 0, 0, 0, zone(q))
	ps, err := a.programmes(q, ch, from, from.AddDate(0, 0, 7))
	if err != nil {
		return nil, err
	}
	out := []any{}
	for _, p := range ps {
		out = append(out, map[string]any{"start_timestamp": p.Start.Unix(), "stop_timestamp": p.Stop.Unix(), "name": p.Title})
	}
	return out, nil
}

// archiveLink answers tv_archive/create_link: cmd is "auto /media/<id>.mpg"
// with an id from programmeID. The programme must have ended inside the
// channel's DVR depth; the URL is the Flussonic archive form (flussonic.md
// §4) through the balancer, with a minted token.
func (a *API) archiveLink(q *request, s *session) (any, error) {
	refuse := map[string]any{"id": 0, "cmd": "", "storage_id": "", "load": 0, "error": "nothing_to_play",
		"download_cmd": "", "to_file": ""}
	cmd := q.param("cmd")
	_, rest, ok := strings.Cut(cmd, "/media/")
	rest, _, _ = strings.Cut(rest, ".mpg")
	startText, chText, ok2 := strings.Cut(rest, "_")
	start, err1 := strconv.ParseInt(startText, 10, 64)
	chID, err2 := strconv.ParseInt(chText, 10, 64)
	ch, found := s.lineup.Channel(chID)
	if !ok || !ok2 || err1 != nil || err2 != nil || !found || ch.DVRDays <= 0 {
		return refuse, nil
	}
	from := time.Unix(start, 0)
	if from.Before(q.now.Add(-time.Duration(ch.DVRDays)*24*time.Hour)) || !from.Before(q.now) {
		return refuse, nil
	}
	ps, err := a.programmes(q, ch, from, from.Add(time.Second))
	if err != nil {
		return nil, err
	}
	var prog *playlist.Programme
	for i := range ps {
		if ps[i].Start.Equal(from) {
			prog = &ps[i]
		}
	}
	if prog == nil {
		return refuse, nil
	}
	stop := prog.Stop
	if stop.After(q.now) {
		stop = q.now
	}
	file := fmt.Sprintf("archive-%d-%d.ts", start, int64(stop.Sub(from).Seconds()))
	url := s.links.Stream(ch, file, a.mint(q, s, ch))
	return map[string]any{"id": 0, "cmd": "ffmpeg " + url, "storage_id": "", "load": 0, "error": "",
		"download_cmd": "", "to_file": ""}, nil
}
