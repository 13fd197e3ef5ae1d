package stalker

import (
	"cmp"
	"math"
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

// newChannelItem is ch as a list shows it; it depends on the channel and
// the link bases only (and fav), so a page can be rendered once for every
// box of the same package set.
func newChannelItem(links subscriberview.Links, ch *subscriberview.Channel, fav bool) channelItem {
	id := strconv.FormatInt(ch.ID, 10)
	cmd := placeholder(ch.ID)
	archive := b2i(ch.DVRDays > 0)
	return channelItem{ID: ch.ID, Name: title(*ch), Number: strconv.Itoa(ch.Number), Cmd: cmd, UseHTTPTmpLink: "1",
		TVGenreID: strconv.FormatInt(ch.CategoryID, 10), Logo: links.Logo(*ch), XMLTVID: ch.EPGChannelID,
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
// search, and the order (§4.2).
func filtered(q *request, s *session) []*subscriberview.Channel {
	var favs map[int64]bool
	if q.param("fav") == "1" {
		favs = favouriteSet(s)
		if favs == nil {
			favs = map[int64]bool{}
		}
	}
	var favOrder []int64
	if q.param("sortby") == "fav" {
		favOrder = s.dev.Favourites
	}
	return selectChannels(s.lineup.Channels, genreParam(q), strings.ToLower(q.param("search")), q.param("sortby"),
		favs, favOrder...)
}

// genreParam is the genre a list call asks for, "" for all.
func genreParam(q *request) string {
	if g := q.param("genre"); g != "*" {
		return g
	}
	return ""
}

// selectChannels returns pointers into chans (a copy of 5,000 channels
// was most of what a page cost) of one genre ("" all), whose title holds
// search (lowered; "" any) and, when only is not nil, that are in it; by
// number, or by name, or with favOrder's channels first in that order.
func selectChannels(chans []subscriberview.Channel, genre, search, sortBy string, only map[int64]bool,
	favOrder ...int64) []*subscriberview.Channel {
	out := make([]*subscriberview.Channel, 0, len(chans))
	for i := range chans {
		ch := &chans[i]
		if genre != "" && genre != strconv.FormatInt(ch.CategoryID, 10) ||
			only != nil && !only[ch.ID] || search != "" && !strings.Contains(strings.ToLower(title(*ch)), search) {
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
		for i, id := range favOrder {
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

// favouriteSet is the box's favourites as a set, nil when it has none.
func favouriteSet(s *session) map[int64]bool {
	if len(s.dev.Favourites) == 0 {
		return nil
	}
	m := make(map[int64]bool, len(s.dev.Favourites))
	for _, id := range s.dev.Favourites {
		m[id] = true
	}
	return m
}

// getOrderedList returns one page of channels. Without p (or p=0) the
// server picks the page holding the last channel watched and highlights it.
// Lists by genre in number or name order come from the line-up view, and
// their pages are rendered once for every box of the package set (boxes ask
// for a page on every scroll of the list); favourites, a favourites order
// and searches are per box and rendered for the call.
func (a *API) getOrderedList(q *request, s *session) (any, error) {
	sortBy := q.param("sortby")
	if sortBy != "name" {
		sortBy = ""
	}
	if q.param("fav") == "1" || q.param("search") != "" || q.param("sortby") == "fav" {
		chans := filtered(q, s)
		p, selected, cur := pageOf(q, s, slices.IndexFunc(chans, func(c *subscriberview.Channel) bool {
			return c.ID == s.dev.LastChannelID
		}))
		data, err := renderPage(chans, p, s.links, favouriteSet(s))
		return envelopeAround(q, len(chans), selected, cur, data), err
	}
	k := listKey{genre: genreParam(q), sort: sortBy}
	cl := s.view.list(k)
	last, ok := cl.pos[s.dev.LastChannelID]
	if !ok {
		last = -1
	}
	p, selected, cur := pageOf(q, s, last)
	var data []byte
	var err error
	if favs := favouriteSet(s); favs != nil && hasAny(cl.chans, p, favs) {
		data, err = renderPage(cl.chans, p, s.links, favs)
	} else {
		data, err = s.view.page(k, cl, p, s.links)
	}
	return envelopeAround(q, len(cl.chans), selected, cur, data), err
}

// pageOf is the page a list call asks for (from 1). Without p (or p=0)
// it is the page holding the last channel watched, at index last of the
// list (-1 when absent), which is highlighted (§4.2).
func pageOf(q *request, s *session, last int) (p, selected, cur int) {
	p, _ = strconv.Atoi(q.param("p"))
	if p > 0 {
		return p, 0, 0
	}
	if last < 0 {
		return 1, 0, 1
	}
	return last/pageSize + 1, last%pageSize + 1, last/pageSize + 1
}

// envelopeAround writes the list envelope around a rendered page without
// encoding the page again.
func envelopeAround(q *request, total, selected, cur int, data []byte) *rawJSON {
	b := q.buf[:0]
	b = append(b, `{"total_items":`...)
	b = strconv.AppendInt(b, int64(total), 10)
	b = append(b, `,"max_page_items":`...)
	b = strconv.AppendInt(b, pageSize, 10)
	b = append(b, `,"selected_item":`...)
	b = strconv.AppendInt(b, int64(selected), 10)
	b = append(b, `,"cur_page":`...)
	b = strconv.AppendInt(b, int64(cur), 10)
	b = append(b, `,"data":`...)
	q.raw = rawJSON{head: b, body: data, tail: closeBrace}
	return &q.raw
}

// hasAny reports whether page p of chans holds one of favs.
func hasAny(chans []*subscriberview.Channel, p int, favs map[int64]bool) bool {
	for i := max(0, (p-1)*pageSize); i < min(p*pageSize, len(chans)); i++ {
		if favs[chans[i].ID] {
			return true
		}
	}
	return false
}

// getAllChannels returns every channel (optionally of one genre) unpaged.
func (a *API) getAllChannels(q *request, s *session) (any, error) {
	chans := filtered(q, s)
	favs := favouriteSet(s)
	env := envelope{TotalItems: len(chans), MaxPageItems: len(chans), Data: make([]any, len(chans))}
	for i, ch := range chans {
		env.Data[i] = newChannelItem(s.links, ch, favs[ch.ID])
	}
	return env, nil
}

// getAllFavChannels returns the favourites unpaged, in the box's order.
func (a *API) getAllFavChannels(_ *request, s *session) (any, error) {
	env := envelope{Data: []any{}}
	for _, id := range s.dev.Favourites {
		if ch, ok := s.lineup.Channel(id); ok {
			env.Data = append(env.Data, newChannelItem(s.links, &ch, true))
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
	return true, a.devices.setFavourites(q.c, s.dev.ID, ids)
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
	return true, a.devices.setLastChannel(q.c, s.dev.ID, id)
}

// setClaim logs a viewer's complaint about a channel (§4.4).
func (a *API) setClaim(q *request, s *session) (any, error) {
	a.deps.Logger.InfoContext(q.c, "stalker claim", "device_id", s.dev.ID, "channel", q.param("id"),
		"type", q.param("real_type"))
	return true, nil
}

// linkChannel is the channel id of a list cmd: the digits after the first
// "/ch/" that has any, with or without the trailing underscore (§5.2);
// 0 when there is none (and the largest id when they overflow one, as
// strconv.ParseInt answers).
func linkChannel[T string | []byte](cmd T) int64 {
	for i := 0; i+4 <= len(cmd); i++ {
		if cmd[i] != '/' || cmd[i+1] != 'c' || cmd[i+2] != 'h' || cmd[i+3] != '/' {
			continue
		}
		var id int64
		n := i + 4
		for ; n < len(cmd) && cmd[n] >= '0' && cmd[n] <= '9'; n++ {
			d := int64(cmd[n] - '0')
			if id > (math.MaxInt64-d)/10 {
				id = math.MaxInt64
				continue
			}
			id = id*10 + d
		}
		if n > i+4 {
			return id
		}
	}
	return 0
}

// createLink mints a short-lived stream URL for one channel (§5): the
// balancer's MPEG-TS URL at Canale with a token bound to this subscriber,
// device, channel and address, so the streamer's auth call is decided by
// the normal play authorization. A channel outside the subscriber's
// packages gets error access_denied. The answer is written directly, in
// the key order an encoded map has, from the channel's URL kept by the
// line-up view and the token appended after it: zapping calls it on every
// channel.
func (a *API) createLink(q *request, s *session) (any, error) {
	var room [256]byte
	id := linkChannel(q.appendParam(room[:0], "cmd"))
	ch, ok := s.view.channel(id)
	if !ok {
		return linkReply(q, id, "", "access_denied"), nil
	}
	b := append(q.buf[:0], s.view.linkHead(s.links, ch)...)
	b = playauth.AppendMintLink(b, a.deps.Secret(), playauth.MintedLink{SubscriberID: s.sub.ID, DeviceID: s.dev.ID,
		ChannelID: ch.ID, Expires: q.now.Add(a.deps.LinkTTL)}, q.addr()) // URL- and JSON-safe as it is
	b = append(b, `","error":"","id":`...)
	b = strconv.AppendInt(b, ch.ID, 10)
	q.raw = rawJSON{head: append(b, linkTail...)}
	return &q.raw, nil
}

// renderLinkHead is the start of a channel's create_link answer, up to
// the token: `{"cmd":"ffmpeg <its MPEG-TS URL>?token=`. What follows the
// token and the id (linkTail) is the same in every answer.
func renderLinkHead(links subscriberview.Links, ch *subscriberview.Channel) []byte {
	live, _ := links.Live(*ch, "", playlist.FormatTS)
	cmd := appendJSONString(nil, "ffmpeg "+live+"?token=")
	return append([]byte(`{"cmd":`), cmd[:len(cmd)-1]...) // open: the token goes on
}

const linkTail = `,"link_id":0,"load":0,"streamer_id":0}`

// linkReply is create_link's answer.
func linkReply(q *request, id int64, cmd, errText string) *rawJSON {
	b := q.buf[:0]
	b = append(b, `{"cmd":`...)
	b = appendJSONString(b, cmd)
	b = append(b, `,"error":`...)
	b = appendJSONString(b, errText)
	b = append(b, `,"id":`...)
	b = strconv.AppendInt(b, id, 10)
	q.raw = rawJSON{head: append(b, linkTail...)}
	return &q.raw
}

var closeBrace = []byte("}")

// mint signs a play token for ch, valid for a first use within LinkTTL
// from the address that asked.
func (a *API) mint(q *request, s *session, ch subscriberview.Channel) string {
	return playauth.MintLink(a.deps.Secret(), playauth.MintedLink{SubscriberID: s.sub.ID, DeviceID: s.dev.ID,
		ChannelID: ch.ID, Expires: q.now.Add(a.deps.LinkTTL)}, q.addr())
}

// title is a channel's display name, its stream name when it has none.
func title(ch subscriberview.Channel) string {
	if ch.Title != "" {
		return ch.Title
	}
	return ch.Name
}
