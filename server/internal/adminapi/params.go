package adminapi

import (
	"strconv"

	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// pathID parses the :name path parameter as a positive id, answering a
// CodeInvalid error naming it otherwise.
func (a *API) pathID(c *gin.Context, name string) (int64, bool) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		a.writeError(c, &api.Error{Code: api.CodeInvalid, Message: "invalid path parameter",
			Fields: map[string]string{name: "must be a positive integer"}})
		return 0, false
	}
	return id, true
}

// listParams reads ?cursor=&limit=&q=&sort= into api.ListParams.
func (a *API) listParams(c *gin.Context) (api.ListParams, bool) {
	limit, err := queryInt(c, "limit")
	if err != nil {
		a.writeError(c, err)
		return api.ListParams{}, false
	}
	return api.ListParams{Cursor: c.Query("cursor"), Limit: int(limit), Query: c.Query("q"), Sort: c.Query("sort")}, true
}
