package adminapi

import (
	"context"
	"net/http"
	"strconv"

	"canale/server/internal/store"
	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// CatalogStore is what the catalog routes need from the database. Each
// method's error codes are documented on the store.
type CatalogStore interface {
	FindStreamerByID(ctx context.Context, id int64) (api.Streamer, error)
	FindStreamers(ctx context.Context, f api.StreamerFilter, p api.ListParams) (api.Page[api.Streamer], error)
	CreateStreamer(ctx context.Context, actor api.Actor, in api.StreamerCreate) (api.Streamer, error)
	UpdateStreamer(ctx context.Context, actor api.Actor, id int64, u api.StreamerUpdate) (api.Streamer, error)
	DeleteStreamer(ctx context.Context, actor api.Actor, id int64) error

	FindCategoryByID(ctx context.Context, id int64) (api.Category, error)
	FindCategories(ctx context.Context, f api.CategoryFilter, p api.ListParams) (api.Page[api.Category], error)
	CreateCategory(ctx context.Context, actor api.Actor, c api.Category) (api.Category, error)
	UpdateCategory(ctx context.Context, actor api.Actor, id int64, u api.CategoryUpdate) (api.Category, error)
	DeleteCategory(ctx context.Context, actor api.Actor, id int64) error

	FindChannelByID(ctx context.Context, id int64) (api.Channel, error)
	FindChannels(ctx context.Context, f api.ChannelFilter, p api.ListParams) (api.Page[api.Channel], error)
	CreateChannel(ctx context.Context, actor api.Actor, in api.ChannelCreate) (api.Channel, error)
	UpdateChannel(ctx context.Context, actor api.Actor, id int64, u api.ChannelUpdate) (api.Channel, error)
	DeleteChannel(ctx context.Context, actor api.Actor, id int64) error
	SetChannelLogo(ctx context.Context, actor api.Actor, id int64, contentType string, data []byte) (api.Channel, error)
	DeleteChannelLogo(ctx context.Context, actor api.Actor, id int64) (api.Channel, error)
	ImportChannels(ctx context.Context, actor api.Actor, items []store.ChannelImport, o api.ImportOptions) (api.ImportReport, error)

	FindPipelineByID(ctx context.Context, id int64) (api.Pipeline, error)
	FindPipelines(ctx context.Context, f api.PipelineFilter, p api.ListParams) (api.Page[api.Pipeline], error)
	CreatePipeline(ctx context.Context, actor api.Actor, p api.Pipeline) (api.Pipeline, error)
	UpdatePipeline(ctx context.Context, actor api.Actor, id int64, u api.PipelineUpdate) (api.Pipeline, error)
	DeletePipeline(ctx context.Context, actor api.Actor, id int64) error

	FindPackageByID(ctx context.Context, id int64) (api.Package, error)
	FindPackages(ctx context.Context, f api.PackageFilter, p api.ListParams) (api.Page[api.Package], error)
	CreatePackage(ctx context.Context, actor api.Actor, p api.Package) (api.Package, error)
	UpdatePackage(ctx context.Context, actor api.Actor, id int64, u api.PackageUpdate) (api.Package, error)
	DeletePackage(ctx context.Context, actor api.Actor, id int64) error

	FindVODByID(ctx context.Context, id int64) (api.VOD, error)
	FindVODs(ctx context.Context, f api.VODFilter, p api.ListParams) (api.Page[api.VOD], error)
	CreateVOD(ctx context.Context, actor api.Actor, in api.VODCreate) (api.VOD, error)
	UpdateVOD(ctx context.Context, actor api.Actor, id int64, u api.VODUpdate) (api.VOD, error)
	DeleteVOD(ctx context.Context, actor api.Actor, id int64) error

	FindSettings(ctx context.Context, actor api.Actor) (api.Settings, error)
	UpdateSettings(ctx context.Context, actor api.Actor, u api.SettingsUpdate) (api.Settings, error)
	RotateStreamerSecret(ctx context.Context, actor api.Actor, version int) (api.Settings, error)

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
