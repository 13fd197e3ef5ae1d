package adminapi

import (
	"context"
	"net/http"

	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// CategoryStore reads and changes categories.
type CategoryStore interface {
	FindCategoryByID(ctx context.Context, id int64) (api.Category, error)
	FindCategories(ctx context.Context, f api.CategoryFilter, p api.ListParams) (api.Page[api.Category], error)
	CreateCategory(ctx context.Context, actor api.Actor, c api.Category) (api.Category, error)
	UpdateCategory(ctx context.Context, actor api.Actor, id int64, u api.CategoryUpdate) (api.Category, error)
	DeleteCategory(ctx context.Context, actor api.Actor, id int64) error
}

// handleCategoryList answers GET /categories?kind=live|vod&q=&sort=position|name|id&cursor=&limit=.
func (a *API) handleCategoryList(c *gin.Context) {
	if p, ok := a.listParams(c); ok {
		page, err := a.Catalog.FindCategories(c, api.CategoryFilter{Kind: c.Query("kind")}, p)
		a.reply(c, http.StatusOK, page, err)
	}
}

func (a *API) handleCategoryGet(c *gin.Context) {
	if id, ok := a.pathID(c, "id"); ok {
		v, err := a.Catalog.FindCategoryByID(c, id)
		a.reply(c, http.StatusOK, v, err)
	}
}

func (a *API) handleCategoryCreate(c *gin.Context) {
	var in api.Category
	if a.bindJSON(c, &in) {
		v, err := a.Catalog.CreateCategory(c, currentActor(c), in)
		a.reply(c, http.StatusCreated, v, err)
	}
}

func (a *API) handleCategoryUpdate(c *gin.Context) {
	var u api.CategoryUpdate
	if id, ok := a.pathID(c, "id"); ok && a.bindJSON(c, &u) {
		v, err := a.Catalog.UpdateCategory(c, currentActor(c), id, u)
		a.reply(c, http.StatusOK, v, err)
	}
}

func (a *API) handleCategoryDelete(c *gin.Context) {
	if id, ok := a.pathID(c, "id"); ok {
		a.reply(c, http.StatusNoContent, nil, a.Catalog.DeleteCategory(c, currentActor(c), id))
	}
}
