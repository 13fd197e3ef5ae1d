package stalker

import (
	"context"
	"encoding/json"
	"maps"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"canale/server/internal/subscriberview"
)

// LineupKeyer is implemented by directories that can name what a
// subscriber's line-up is built from (their package set), so subscribers
// with the same packages share one cached line-up and its rendered pages
// (subscriberview.CatalogDirectory is one).
type LineupKeyer interface {
	LineupKey(sub subscriberview.Subscriber) string
}

// lineups caches line-ups and their rendered channel-list pages per
// package set: building a line-up walks the whole catalog, and rendering a
// page of it was most of a get_ordered_list. The directory's Version is
// the generation; when it moves every entry is dropped, since any channel,
// package or category may have changed. A subscriber's own package change
// moves the key instead (it names the package set, or the subscriber's
// version when the directory cannot name the set).
type lineups struct {
	dir Directory

	mu    sync.Mutex
	gen   uint64
	views map[string]*lineupView
	// keys remembers each subscriber's key by the version of their row
	// (which moves with their packages), so a call does not build it.
	keys map[int64]subscriberKey
}

type subscriberKey struct {
	version int
	key     string
}

// maxSubscriberKeys bounds the remembered keys (a few MB at most).
const maxSubscriberKeys = 100_000

// maxLineupViews bounds the cache; past it the cache starts again empty
// (operators have tens of package sets, not thousands).
const maxLineupViews = 1024

func newLineups(dir Directory) *lineups {
	return &lineups{dir: dir, views: map[string]*lineupView{}, keys: map[int64]subscriberKey{}}
}

// view returns sub's line-up view.
func (l *lineups) view(ctx context.Context, sub subscriberview.Subscriber) (*lineupView, error) {
	gen := l.dir.Version()
	l.mu.Lock()
	if gen > l.gen {
		l.gen, l.views, l.keys = gen, map[string]*lineupView{}, map[int64]subscriberKey{}
	}
	sk, known := l.keys[sub.ID]
	if v, ok := l.views[sk.key]; ok && known && sk.version == sub.Version { // the common case: one lock
		l.mu.Unlock()
		return v, nil
	}
	l.mu.Unlock()
	key := sk.key
	if !known || sk.version != sub.Version {
		key = l.key(sub)
	}
	l.mu.Lock()
	v, ok := l.views[key]
	if ok && (!known || sk.version != sub.Version) {
		if len(l.keys) >= maxSubscriberKeys {
			clear(l.keys)
		}
		l.keys[sub.ID] = subscriberKey{version: sub.Version, key: key}
	}
	l.mu.Unlock()
	if ok {
		return v, nil
	}
	lineup, err := l.dir.Lineup(ctx, sub)
	if err != nil {
		return nil, err
	}
	v = newLineupView(lineup)
	l.mu.Lock()
	defer l.mu.Unlock()
	// Keep it only if built from the generation still current and from
	// the package set the key names (the subscriber's packages may have
	// changed meanwhile).
	if gen == l.gen && l.key(sub) == key {
		if len(l.views) >= maxLineupViews {
			l.views = map[string]*lineupView{}
		}
		l.views[key] = v
		l.keys[sub.ID] = subscriberKey{version: sub.Version, key: key}
	}
	return v, nil
}

// key names what sub's line-up is built from.
func (l *lineups) key(sub subscriberview.Subscriber) string {
	if k, ok := l.dir.(LineupKeyer); ok {
		return k.LineupKey(sub)
	}
	return "subscriber:" + strconv.FormatInt(sub.ID, 10) + ":" + strconv.Itoa(sub.Version)
}

// lineupView is an immutable line-up with what its lists need at hand:
// channel positions, the channel lists of each genre and sort, and their
// rendered pages and create_link heads, built on first use. A call finds
// its list, page and head without a lock: boxes of a package set all read
// the same view, on every keypress.
type lineupView struct {
	lineup subscriberview.Lineup
	pos    map[int64]int // channel id -> index in lineup.Channels

	lists atomic.Pointer[map[listKey]*channelList] // copied on each new list
	heads []atomic.Pointer[rendered]               // by index in lineup.Channels

	mu    sync.Mutex // serializes new lists; guards pages
	pages map[pageKey][]byte
}

// rendered is bytes rendered for one set of link bases. A slot holds the
// last one rendered; another set of bases (an installation answering
// several host names with no external URL) renders again.
type rendered struct {
	links subscriberview.Links
	b     []byte
}

// listKey names a channel list: a genre ("" is all) in an order ("" is
// by number, "name" by name).
type listKey struct{ genre, sort string }

// pageKey names a rendered page of a list for link bases other than the
// ones its slot holds.
type pageKey struct {
	list  listKey
	page  int
	links subscriberview.Links
}

// channelList is one list's channels, in order, with each one's position,
// and its pages rendered for a box with no favourite on them, by number
// from 1.
type channelList struct {
	chans []*subscriberview.Channel
	pos   map[int64]int
	pages []atomic.Pointer[rendered]
}

// maxPages bounds the rendered pages a view keeps beyond its slots (about
// 8 KiB each).
const maxPages = 4096

func newLineupView(l subscriberview.Lineup) *lineupView {
	v := &lineupView{lineup: l, pos: make(map[int64]int, len(l.Channels)),
		heads: make([]atomic.Pointer[rendered], len(l.Channels)), pages: map[pageKey][]byte{}}
	v.lists.Store(&map[listKey]*channelList{})
	for i, ch := range l.Channels {
		v.pos[ch.ID] = i
	}
	return v
}

// channel returns the channel with id, if the line-up holds it.
func (v *lineupView) channel(id int64) (*subscriberview.Channel, bool) {
	i, ok := v.pos[id]
	if !ok {
		return nil, false
	}
	return &v.lineup.Channels[i], true
}

// linkHead returns the start of the create_link answer of ch (a channel
// of the view) for these link bases.
func (v *lineupView) linkHead(links subscriberview.Links, ch *subscriberview.Channel) []byte {
	slot := &v.heads[v.pos[ch.ID]]
	if r := slot.Load(); r != nil && r.links == links {
		return r.b
	}
	b := renderLinkHead(links, ch)
	slot.Store(&rendered{links: links, b: b})
	return b
}

// list returns the channels of a genre in an order, built once.
func (v *lineupView) list(k listKey) *channelList {
	if cl, ok := (*v.lists.Load())[k]; ok {
		return cl
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	old := *v.lists.Load()
	if cl, ok := old[k]; ok {
		return cl
	}
	chans := selectChannels(v.lineup.Channels, k.genre, "", k.sort, nil)
	cl := &channelList{chans: chans, pos: make(map[int64]int, len(chans)),
		pages: make([]atomic.Pointer[rendered], (len(chans)+pageSize-1)/pageSize)}
	for i, ch := range chans {
		cl.pos[ch.ID] = i
	}
	lists := maps.Clone(old)
	lists[k] = cl
	v.lists.Store(&lists)
	return cl
}

// page returns the rendered JSON array of page p (from 1) of the list,
// for a box with no favourite on it: from the list's slot for the page,
// else from the view's pages of other link bases.
func (v *lineupView) page(k listKey, cl *channelList, p int, links subscriberview.Links) ([]byte, error) {
	var slot *atomic.Pointer[rendered]
	if p >= 1 && p <= len(cl.pages) {
		slot = &cl.pages[p-1]
		if r := slot.Load(); r != nil && r.links == links {
			return r.b, nil
		}
	}
	pk := pageKey{list: k, page: p, links: links}
	v.mu.Lock()
	b, ok := v.pages[pk]
	v.mu.Unlock()
	if ok {
		return b, nil
	}
	b, err := renderPage(cl.chans, p, links, nil)
	if err != nil {
		return nil, err
	}
	if slot != nil && slot.CompareAndSwap(nil, &rendered{links: links, b: b}) {
		return b, nil
	}
	v.mu.Lock()
	if len(v.pages) >= maxPages {
		v.pages = map[pageKey][]byte{}
	}
	v.pages[pk] = b
	v.mu.Unlock()
	return b, nil
}

// renderPage encodes page p (from 1) of chans as a JSON array, marking
// the favourites.
func renderPage(chans []*subscriberview.Channel, p int, links subscriberview.Links, favs map[int64]bool) ([]byte, error) {
	items := make([]channelItem, 0, pageSize)
	for i := (p - 1) * pageSize; i >= 0 && i < min(p*pageSize, len(chans)); i++ {
		items = append(items, newChannelItem(links, chans[i], favs[chans[i].ID]))
	}
	var sb strings.Builder
	enc := json.NewEncoder(&sb)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(items); err != nil {
		return nil, err
	}
	return []byte(strings.TrimSuffix(sb.String(), "\n")), nil
}
