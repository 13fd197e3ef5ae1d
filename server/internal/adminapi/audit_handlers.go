package adminapi

import (
	"net/http"
	"strconv"

	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// handleAuditList answers GET /audit?entity=&entity_id=&before_id=&limit=,
// newest first; page with before_id = the last id of the previous page.
func (a *API) handleAuditList(c *gin.Context) {
	f := api.AuditFilter{Entity: api.Entity(c.Query("entity")), EntityID: c.Query("entity_id")}
	var err error
	if f.BeforeID, err = queryInt(c, "before_id"); err != nil {
		a.writeError(c, err)
		return
	}
	limit, err := queryInt(c, "limit")
	if err != nil {
		a.writeError(c, err)
		return
	}
	f.Limit = int(limit)
	entries, err := a.Audit.FindAudit(c.Request.Context(), f)
	if err != nil {
		a.writeError(c, err)
		return
	}
	a.render(c, http.StatusOK, entries)
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
