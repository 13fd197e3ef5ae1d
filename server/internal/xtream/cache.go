package xtream

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"

	"canale/server/internal/rendercache"
	"canale/server/internal/subscriberview"

	"github.com/gin-gonic/gin"
)

// cachedActions are the player_api answers that depend only on the
// subscriber's line-up and the base URL, not on the clock: the big lists
// clients refresh often.
var cachedActions = map[string]bool{
	"get_live_categories": true, "get_vod_categories": true, "get_live_streams": true, "get_vod_streams": true,
	"get_series_categories": true, "get_series": true, "get_series_info": true,
}

// serveCached answers a cached action of an active account from the render
// cache, rendering (and keeping) it on a miss. The key names the
// subscriber's row version, the base URL and the action with its category
// filter; the directory's version is the cache generation.
func (a *API) serveCached(c *gin.Context, s *session, action string) {
	v, ok := a.deps.Directory.(subscriberview.Versioned)
	if !ok {
		a.renderAction(c, s, action, nil, 0, "")
		return
	}
	gen := v.Version()
	key := strings.Join([]string{"xc", action, param(c, "category_id") + "\x00" + param(c, "series_id"), strconv.FormatInt(s.sub.ID, 10),
		strconv.Itoa(s.sub.Version), s.links.Base, s.links.StreamBase}, "\x00")
	if e, ok := a.deps.Cache.Get(gen, key); ok {
		e.Serve(c.Writer, c.Request, "application/json")
		return
	}
	a.renderAction(c, s, action, a.deps.Cache, gen, key)
}

// renderAction loads the line-up, renders the action's JSON and serves it,
// through cache when one is given.
func (a *API) renderAction(c *gin.Context, s *session, action string, cache *rendercache.Cache, gen uint64, key string) {
	if err := a.loadLineup(c, s); err != nil {
		a.fail(c, err)
		return
	}
	var v any
	switch action {
	case "get_live_categories":
		v = categories(s.lineup.LiveCategories, s.active)
	case "get_vod_categories":
		v = categories(s.lineup.VODCategories, s.active)
	case "get_live_streams":
		v = liveStreams(s.lineup, s.links, param(c, "category_id"))
	case "get_series_categories":
		v = seriesCategories(s)
	case "get_series":
		v = seriesList(s.lineup, param(c, "category_id"))
	case "get_series_info":
		v = seriesInfoBody(s.lineup, param(c, "series_id"))
	default:
		v = vodStreams(s.lineup, param(c, "category_id"))
	}
	if cache == nil {
		writeJSON(c, v)
		return
	}
	var buf bytes.Buffer
	if err := encodeJSON(&buf, v); err != nil {
		c.String(http.StatusInternalServerError, "encode: %v", err)
		return
	}
	cache.Put(gen, key, buf.Bytes()).Serve(c.Writer, c.Request, "application/json")
}
