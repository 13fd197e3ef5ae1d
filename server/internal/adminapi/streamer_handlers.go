package adminapi

import (
	"context"
	"net/http"

	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// StreamerStore reads and changes streamers.
type StreamerStore interface {
	FindStreamerByID(ctx context.Context, id int64) (api.Streamer, error)
	FindStreamers(ctx context.Context, f api.StreamerFilter, p api.ListParams) (api.Page[api.Streamer], error)
	CreateStreamer(ctx context.Context, actor api.Actor, in api.StreamerCreate) (api.Streamer, error)
	UpdateStreamer(ctx context.Context, actor api.Actor, id int64, u api.StreamerUpdate) (api.Streamer, error)
	DeleteStreamer(ctx context.Context, actor api.Actor, id int64) error
}

// handleStreamerList answers GET /streamers?role=&enabled=&q=&sort=name|id&cursor=&limit=.
func (a *API) handleStreamerList(c *gin.Context) {
	p, ok := a.listParams(c)
	if !ok {
		return
	}
	enabled, err := queryBool(c, "enabled")
	if err != nil {
		a.writeError(c, err)
		return
	}
	page, err := a.Catalog.FindStreamers(c, api.StreamerFilter{Role: c.Query("role"), Enabled: enabled}, p)
	a.reply(c, http.StatusOK, page, err)
}

func (a *API) handleStreamerGet(c *gin.Context) {
	if id, ok := a.pathID(c, "id"); ok {
		s, err := a.Catalog.FindStreamerByID(c, id)
		a.reply(c, http.StatusOK, s, err)
	}
}

func (a *API) handleStreamerCreate(c *gin.Context) {
	var in api.StreamerCreate
	if a.bindJSON(c, &in) {
		s, err := a.Catalog.CreateStreamer(c, currentActor(c), in)
		a.reply(c, http.StatusCreated, s, err)
	}
}

func (a *API) handleStreamerUpdate(c *gin.Context) {
	var u api.StreamerUpdate
	if id, ok := a.pathID(c, "id"); ok && a.bindJSON(c, &u) {
		s, err := a.Catalog.UpdateStreamer(c, currentActor(c), id, u)
		a.reply(c, http.StatusOK, s, err)
	}
}

func (a *API) handleStreamerDelete(c *gin.Context) {
	if id, ok := a.pathID(c, "id"); ok {
		a.reply(c, http.StatusNoContent, nil, a.Catalog.DeleteStreamer(c, currentActor(c), id))
	}
}
