package adminapi

import (
	"net/http"

	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

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
