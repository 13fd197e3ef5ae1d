package adminapi

import (
	"context"
	"net/http"

	"canale/server/internal/store"
	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// ChannelStore reads and changes channels, their logos and M3U imports.
type ChannelStore interface {
	FindChannelByID(ctx context.Context, id int64) (api.Channel, error)
	FindChannels(ctx context.Context, f api.ChannelFilter, p api.ListParams) (api.Page[api.Channel], error)
	CreateChannel(ctx context.Context, actor api.Actor, in api.ChannelCreate) (api.Channel, error)
	UpdateChannel(ctx context.Context, actor api.Actor, id int64, u api.ChannelUpdate) (api.Channel, error)
	DeleteChannel(ctx context.Context, actor api.Actor, id int64) error
	SetChannelLogo(ctx context.Context, actor api.Actor, id int64, contentType string, data []byte) (api.Channel, error)
	DeleteChannelLogo(ctx context.Context, actor api.Actor, id int64) (api.Channel, error)
	ImportChannels(ctx context.Context, actor api.Actor, items []store.ChannelImport, o api.ImportOptions) (api.ImportReport, error)
}

// handleChannelList answers GET /channels?category_id=&pipeline_id=&enabled=
// &q=&sort=number|name|title|id (a leading - sorts descending)&cursor=&limit=.
func (a *API) handleChannelList(c *gin.Context) {
	p, ok := a.listParams(c)
	if !ok {
		return
	}
	var f api.ChannelFilter
	var err error
	if f.CategoryID, err = queryInt(c, "category_id"); err == nil {
		if f.PipelineID, err = queryInt(c, "pipeline_id"); err == nil {
			f.Enabled, err = queryBool(c, "enabled")
		}
	}
	if err != nil {
		a.writeError(c, err)
		return
	}
	page, err := a.Catalog.FindChannels(c, f, p)
	a.reply(c, http.StatusOK, page, err)
}

func (a *API) handleChannelGet(c *gin.Context) {
	if id, ok := a.pathID(c, "id"); ok {
		v, err := a.Catalog.FindChannelByID(c, id)
		a.reply(c, http.StatusOK, v, err)
	}
}

func (a *API) handleChannelCreate(c *gin.Context) {
	var in api.ChannelCreate
	if a.bindJSON(c, &in) {
		v, err := a.Catalog.CreateChannel(c, currentActor(c), in)
		a.reply(c, http.StatusCreated, v, err)
	}
}

func (a *API) handleChannelUpdate(c *gin.Context) {
	var u api.ChannelUpdate
	if id, ok := a.pathID(c, "id"); ok && a.bindJSON(c, &u) {
		v, err := a.Catalog.UpdateChannel(c, currentActor(c), id, u)
		a.logos.forget(id) // its logo_url may have changed
		a.reply(c, http.StatusOK, v, err)
	}
}

func (a *API) handleChannelDelete(c *gin.Context) {
	if id, ok := a.pathID(c, "id"); ok {
		err := a.Catalog.DeleteChannel(c, currentActor(c), id)
		a.logos.forget(id)
		a.reply(c, http.StatusNoContent, nil, err)
	}
}
