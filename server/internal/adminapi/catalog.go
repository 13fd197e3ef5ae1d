package adminapi

import (
	"net/http"
	"strconv"

	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// CatalogStore is what the catalog routes need from the database: the
// per-resource interfaces declared beside their handlers, so each handler
// file shows what it uses. Each method's error codes are documented on the
// store.
type CatalogStore interface {
	StreamerStore
	CategoryStore
	ChannelStore
	PipelineStore
	PackageStore
	VODStore
	SettingsStore
	SeriesStore
}

// reply answers v with status, or err through writeError.
func (a *API) reply(c *gin.Context, status int, v any, err error) {
	if err != nil {
		a.writeError(c, err)
		return
	}
	if status == http.StatusNoContent {
		c.Status(status)
		return
	}
	a.render(c, status, v)
}

// queryBool parses an optional boolean query parameter; absent means nil.
func queryBool(c *gin.Context, name string) (*bool, error) {
	v := c.Query(name)
	if v == "" {
		return nil, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return nil, &api.Error{Code: api.CodeInvalid, Message: "invalid query parameter",
			Fields: map[string]string{name: "must be true or false"}}
	}
	return &b, nil
}
