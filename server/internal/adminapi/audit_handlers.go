package adminapi

import (
	"net/http"
	"strconv"

	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// handleAuditList answers GET /audit?entity=&entity_id=&cursor=&limit=,
// one page newest first.
func (a *API) handleAuditList(c *gin.Context) {
	if p, ok := a.listParams(c); ok {
		f := api.AuditFilter{Entity: api.Entity(c.Query("entity")), EntityID: c.Query("entity_id")}
		page, err := a.Audit.FindAudit(c.Request.Context(), f, p)
		a.reply(c, http.StatusOK, page, err)
	}
}

// queryInt parses an optional integer query parameter; absent means 0.
func queryInt(c *gin.Context, name string) (int64, error) {
	v := c.Query(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, &api.Error{Code: api.CodeInvalid, Message: "invalid query parameter",
			Fields: map[string]string{name: "must be a non-negative integer"}}
	}
	return n, nil
}
