package adminapi

import (
	"context"
	"net/http"
	"time"

	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// RefusalService lists refused plays (package playauth).
type RefusalService interface {
	// FindPlayRefusals returns CodeInvalid for a bad cursor and
	// CodeUnavailable when refusals are not recorded.
	FindPlayRefusals(ctx context.Context, f api.PlayRefusalFilter, p api.ListParams) (api.Page[api.PlayRefusal], error)
}

var refusalDocs = []routeDoc{
	{Method: "GET", Path: "/refusals", Summary: "Refused plays of the last hour, newest first, with the reason: why a subscriber cannot watch",
		Query: []string{"subscriber", "reason", "since", "cursor", "limit"}, Response: api.Page[api.PlayRefusal]{}},
}

// registerRefusals mounts GET /refusals for staff when refusals are
// recorded.
func (a *API) registerRefusals(g *gin.RouterGroup) {
	g.GET("/refusals", a.requireService(a.Refusals != nil, "refused-play records"), a.handleRefusalList)
}

// handleRefusalList answers GET /refusals: refused plays since since (RFC
// 3339, at most a day back; default the last hour), filtered by subscriber
// login and reason code.
func (a *API) handleRefusalList(c *gin.Context) {
	p, ok := a.listParams(c)
	if !ok {
		return
	}
	f := api.PlayRefusalFilter{SubscriberLogin: c.Query("subscriber"), Reason: c.Query("reason")}
	if v := c.Query("since"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			a.writeError(c, &api.Error{Code: api.CodeInvalid, Message: "invalid query parameter",
				Fields: map[string]string{"since": "must be an RFC 3339 time"}})
			return
		}
		f.Since = t
	}
	page, err := a.Refusals.FindPlayRefusals(c, f, p)
	if err != nil {
		a.writeError(c, err)
		return
	}
	a.render(c, http.StatusOK, page)
}
