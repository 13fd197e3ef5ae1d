package adminapi

import (
	"context"
	"net/http"

	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// PipelineStore reads and changes pipelines.
type PipelineStore interface {
	FindPipelineByID(ctx context.Context, id int64) (api.Pipeline, error)
	FindPipelines(ctx context.Context, f api.PipelineFilter, p api.ListParams) (api.Page[api.Pipeline], error)
	CreatePipeline(ctx context.Context, actor api.Actor, p api.Pipeline) (api.Pipeline, error)
	UpdatePipeline(ctx context.Context, actor api.Actor, id int64, u api.PipelineUpdate) (api.Pipeline, error)
	DeletePipeline(ctx context.Context, actor api.Actor, id int64) error
}

// handlePipelineList answers GET /pipelines?streamer_id=&q=&sort=name|id&cursor=&limit=.
func (a *API) handlePipelineList(c *gin.Context) {
	p, ok := a.listParams(c)
	if !ok {
		return
	}
	sid, err := queryInt(c, "streamer_id")
	if err != nil {
		a.writeError(c, err)
		return
	}
	page, err := a.Catalog.FindPipelines(c, api.PipelineFilter{StreamerID: sid}, p)
	a.reply(c, http.StatusOK, page, err)
}

func (a *API) handlePipelineGet(c *gin.Context) {
	if id, ok := a.pathID(c, "id"); ok {
		v, err := a.Catalog.FindPipelineByID(c, id)
		a.reply(c, http.StatusOK, v, err)
	}
}

func (a *API) handlePipelineCreate(c *gin.Context) {
	var in api.Pipeline
	if a.bindJSON(c, &in) {
		v, err := a.Catalog.CreatePipeline(c, currentActor(c), in)
		a.reply(c, http.StatusCreated, v, err)
	}
}

func (a *API) handlePipelineUpdate(c *gin.Context) {
	var u api.PipelineUpdate
	if id, ok := a.pathID(c, "id"); ok && a.bindJSON(c, &u) {
		v, err := a.Catalog.UpdatePipeline(c, currentActor(c), id, u)
		a.reply(c, http.StatusOK, v, err)
	}
}

func (a *API) handlePipelineDelete(c *gin.Context) {
	if id, ok := a.pathID(c, "id"); ok {
		a.reply(c, http.StatusNoContent, nil, a.Catalog.DeletePipeline(c, currentActor(c), id))
	}
}
