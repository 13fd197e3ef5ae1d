package stalker

import (
	"cmp"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"canale/server/internal/playauth"
	"canale/server/internal/playlist"
	"canale/server/internal/subscriberview"
)

// pageSize is Stalker's max_page_items for channel lists (§4.2).
const pageSize = 14

// envelope is the paged list answer (§4.2).
type envelope struct {
	TotalItems   int   `json:"total_items"`
	MaxPageItems int   `json:"max_page_items"`
	SelectedItem int   `json:"selected_item"`
	CurPage      int   `json:"cur_page"`
	Data         []any `json:"data"`
}

// getGenres lists "All" and the subscriber's live categories (§4.1).
func (a *API) getGenres(_ *request, s *session) (any, error) {
	out := []map[string]any{{"id": "*", "title": "All", "alias": "all", "censored": 0}}
	for i, g := range s.lineup.LiveCategories {
		out = append(out, map[string]any{"id": strconv.FormatInt(g.ID, 10), "title": g.Name,
			"alias": strings.ToLower(g.Name), "censored": 0, "number": i + 1, "modified": ""})
	}
	return out, nil
}

// placeholder is a channel's list cmd: every client must call create_link
// for a real URL (§5.1), so no token ever sits in a list.
func placeholder(id int64) string {
	return "ffmpeg http://localhost/ch/" + strconv.FormatInt(id, 10) + "_"
}

// channelItem is one channel of a list (§4.3), with the types real panels
// send. A struct, not a map: a page is encoded on every zap of the list.
type channelItem struct {
	ID                int64     `json:"id"`
	Name              string    `json:"name"`
	Number            string    `json:"number"`
	Cmd               string    `json:"cmd"`
	UseHTTPTmpLink    string    `json:"use_http_tmp_link"`
	UseLoadBalancing  int       `json:"use_load_balancing"`
	TVGenreID         string    `json:"tv_genre_id"`
	Logo              string    `json:"logo"`
	XMLTVID           string    `json:"xmltv_id"`
	Censored          int       `json:"censored"`
	Lock              int       `json:"lock"`
	Fav               int       `json:"fav"`
	HD                int       `json:"hd"`
	Status            int       `json:"status"`
	Open              int       `json:"open"`
	EnableTVArchive   int       `json:"enable_tv_archive"`
	Archive           int       `json:"archive"`
	TVArchiveDuration int       `json:"tv_archive_duration"`
	AllowPVR          int       `json:"allow_pvr"`
	AllowLocalPVR     int       `json:"allow_local_pvr"`
	PVR               int       `json:"pvr"`
	EPG               []any     `json:"epg"`
	CurPlaying        string    `json:"cur_playing"`
	Cmds              []linkCmd `json:"cmds"` // stalkerhek indexes cmds[0] and panics on an empty list
}

type linkCmd struct {
	ID             string `json:"id"`
	ChID           string `json:"ch_id"`
	Priority       string `json:"priority"`
	URL            string `json:"url"`
	Status         string `json:"status"`
	UseHTTPTmpLink string `json:"use_http_tmp_link"`
}

var noEPG = []any{}

func (a *API) channelItem(s *session, ch *subscriberview.Channel, fav bool) channelItem {
	id := strconv.FormatInt(ch.ID, 10)
	cmd := placeholder(ch.ID)
	archive := b2i(ch.DVRDays > 0)
	return channelItem{ID: ch.ID, Name: title(*ch), Number: strconv.Itoa(ch.Number), Cmd: cmd, UseHTTPTmpLink: "1",
		TVGenreID: strconv.FormatInt(ch.CategoryID, 10), Logo: s.links.Logo(*ch), XMLTVID: ch.EPGChannelID,
		Fav: b2i(fav), Status: 1, Open: 1, EnableTVArchive: archive, Archive: archive, TVArchiveDuration: ch.DVRDays * 24,
		EPG: noEPG, Cmds: []linkCmd{{ID: id, ChID: id, Priority: "0", URL: cmd, Status: "1", UseHTTPTmpLink: "1"}}}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// filtered returns the channels a list call asks for: genre, favourites,
// search, and the order (§4.2), as pointers into the line-up: a copy of
// 5,000 channels was most of what a page cost.
func filtered(q *request, s *session) []*subscriberview.Channel {
	genre := q.param("genre")
	if genre == "*" {
		genre = ""
	}
	favOnly := q.param("fav") == "1"
	search := strings.ToLower(q.param("search"))
	sortBy := q.param("sortby")
	var favs map[int64]bool
	if favOnly {
		favs = favouriteSet(s)
	}
	out := make([]*subscriberview.Channel, 0, len(s.lineup.Channels))
	for i := range s.lineup.Channels {
		ch := &s.lineup.Channels[i]
		if genre != "" && genre != strconv.FormatInt(ch.CategoryID, 10) ||
			favOnly && !favs[ch.ID] || search != "" && !strings.Contains(strings.ToLower(title(*ch)), search) {
			continue
		}
		out = append(out, ch)
	}
	switch sortBy {
	case "name":
		slices.SortStableFunc(out, func(x, y *subscriberview.Channel) int {
			return cmp.Compare(strings.ToLower(title(*x)), strings.ToLower(title(*y)))
		})
	case "fav":
		order := map[int64]int{}
		for i, id := range s.dev.Favourites {
			order[id] = i + 1
		}
		slices.SortStableFunc(out, func(x, y *subscriberview.Channel) int {
			return cmp.Compare(rank(order, x.ID), rank(order, y.ID))
		})
	}
	return out
}

// rank orders favourites first, in the box's order.
func rank(order map[int64]int, id int64) int {
	if r, ok := order[id]; ok {
		return r
	}
	return len(order) + 1
}

func favouriteSet(s *session) map[int64]bool {
	m := make(map[int64]bool, len(s.dev.Favourites))
	for _, id := range s.dev.Favourites {
		m[id] = true
	}
	return m
}

// getOrderedList returns one page of channels. Without p (or p=0) the
// server picks the page holding the last channel watched and highlights it.
// The common call (every genre, number order, no search) pages the line-up
// in place: boxes ask for a page on every scroll of the list.
func (a *API) getOrderedList(q *request, s *session) (any, error) {
	n, at := len(s.lineup.Channels), func(i int) *subscriberview.Channel { return &s.lineup.Channels[i] }
	if g := q.param("genre"); g != "" && g != "*" || q.param("fav") == "1" || q.param("search") != "" || q.param("sortby") == "name" ||
		q.param("sortby") == "fav" {
		chans := filtered(q, s)
		n, at = len(chans), func(i int) *subscriberview.Channel { return chans[i] }
	}
	p, _ := strconv.Atoi(q.param("p"))
	env := envelope{TotalItems: n, MaxPageItems: pageSize, Data: make([]any, 0, pageSize)}
	if p <= 0 {
		p = 1
		for i := range n {
			if at(i).ID == s.dev.LastChannelID {
				p, env.SelectedItem = i/pageSize+1, i%pageSize+1
				break
			}
		}
		env.CurPage = p
	}
	favs := favouriteSet(s)
	for i := (p - 1) * pageSize; i < min(p*pageSize, n); i++ {
		ch := at(i)
		env.Data = append(env.Data, a.channelItem(s, ch, favs[ch.ID]))
	}
	return env, nil
}

// getAllChannels returns every channel (optionally of one genre) unpaged.
func (a *API) getAllChannels(q *request, s *session) (any, error) {
	chans := filtered(q, s)
	favs := favouriteSet(s)
	env := envelope{TotalItems: len(chans), MaxPageItems: len(chans), Data: make([]any, len(chans))}
	for i, ch := range chans {
		env.Data[i] = a.channelItem(s, ch, favs[ch.ID])
	}
	return env, nil
}

// getAllFavChannels returns the favourites unpaged, in the box's order.
func (a *API) getAllFavChannels(_ *request, s *session) (any, error) {
	env := envelope{Data: []any{}}
	for _, id := range s.dev.Favourites {
		if ch, ok := s.lineup.Channel(id); ok {
			env.Data = append(env.Data, a.channelItem(s, &ch, true))
		}
	}
	env.TotalItems, env.MaxPageItems = len(env.Data), len(env.Data)
	return env, nil
}

// setFav stores the whole ordered favourite list (fav_ch=1,5,7), keeping
// only channels the subscriber may watch.
func (a *API) setFav(q *request, s *session) (any, error) {
	ids := []int64{}
	for _, f := range strings.Split(q.param("fav_ch"), ",") {
		id, err := strconv.ParseInt(strings.TrimSpace(f), 10, 64)
		if _, ok := s.lineup.Channel(id); err == nil && ok && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return true, a.deps.Devices.SetDeviceFavourites(q.c, s.dev.ID, ids)
}

func (a *API) getFavIDs(_ *request, s *session) (any, error) {
	if s.dev.Favourites == nil {
		return []int64{}, nil
	}
	return s.dev.Favourites, nil
}

// setLastID remembers the channel the box opens on next time.
func (a *API) setLastID(q *request, s *session) (any, error) {
	id, err := strconv.ParseInt(q.param("id"), 10, 64)
	if _, ok := s.lineup.Channel(id); err != nil || !ok {
		return true, nil
	}
	return true, a.deps.Devices.SetDeviceLastChannel(q.c, s.dev.ID, id)
}

// setClaim logs a viewer's complaint about a channel (§4.4).
func (a *API) setClaim(q *request, s *session) (any, error) {
	a.deps.Logger.InfoContext(q.c, "stalker claim", "device_id", s.dev.ID, "channel", q.param("id"),
		"type", q.param("real_type"))
	return true, nil
}

// linkID matches the channel id of a list cmd, with or without the
// trailing underscore (§5.2).
var linkID = regexp.MustCompile(`/ch/(\d+)`)

// createLink mints a short-lived stream URL for one channel (§5): the
// balancer's MPEG-TS URL at Canale with a token bound to this subscriber,
// device, channel and address, so the streamer's auth call is decided by
// the normal play authorization. A channel outside the subscriber's
// packages gets error access_denied.
func (a *API) createLink(q *request, s *session) (any, error) {
	m := linkID.FindStringSubmatch(q.param("cmd"))
	var id int64
	if m != nil {
		id, _ = strconv.ParseInt(m[1], 10, 64)
	}
	ch, ok := s.lineup.Channel(id)
	if !ok {
		return map[string]any{"id": id, "cmd": "", "streamer_id": 0, "link_id": 0, "load": 0, "error": "access_denied"}, nil
	}
	token := a.mint(q, s, ch)
	live, _ := s.links.Live(ch, token, playlist.FormatTS)
	return map[string]any{"id": ch.ID, "cmd": "ffmpeg " + live, "streamer_id": 0, "link_id": 0, "load": 0, "error": ""}, nil
}

// mint signs a play token for ch, valid for a first use within LinkTTL
// from the address that asked.
func (a *API) mint(q *request, s *session, ch subscriberview.Channel) string {
	return playauth.MintLink(a.deps.Secret(), playauth.MintedLink{SubscriberID: s.sub.ID, DeviceID: s.dev.ID,
		ChannelID: ch.ID, Expires: q.now.Add(a.deps.LinkTTL)}, q.c.ClientIP())
}

// title is a channel's display name, its stream name when it has none.
func title(ch subscriberview.Channel) string {
	if ch.Title != "" {
		return ch.Title
	}
	return ch.Name
}
