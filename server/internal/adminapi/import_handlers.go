package adminapi

import (
	"net/http"

	"canale/server/internal/m3uimport"
	"canale/server/internal/store"
	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// MaxImportBytes bounds an uploaded playlist (ten thousand channels are
// about 2 MB).
const MaxImportBytes = 64 << 20

// ImportFailure is the body of a strict import refused for bad lines (422):
// the error and the full report of what was wrong.
type ImportFailure struct {
	Error  *api.Error       `json:"error"`
	Report api.ImportReport `json:"report"`
}

// handleChannelImport answers POST /channels/import?strict=&dry_run=&skip_existing=
// with the M3U playlist as the body.
func (a *API) handleChannelImport(c *gin.Context) {
	o, err := importOptions(c)
	if err != nil {
		a.writeError(c, err)
		return
	}
	entries, bad, err := m3uimport.Parse(c.Request.Body) // bounded by the route to MaxImportBytes
	if tooBig := bodyTooLarge(err); tooBig != nil {
		a.writeError(c, tooBig)
		return
	}
	if err != nil {
		a.writeError(c, api.Errorf(api.CodeInvalid, "read playlist: %v", err))
		return
	}
	entries, bad = m3uimport.Prepare(entries, bad)
	a.Logger.InfoContext(c, "channel import parsed", "entries", len(entries), "bad_lines", len(bad), "strict", o.Strict)
	if o.Strict && len(bad) > 0 {
		r := api.ImportReport{Total: len(entries) + len(bad), Skipped: []api.ImportLine{}, Errors: bad, DryRun: o.DryRun}
		a.render(c, http.StatusUnprocessableEntity, ImportFailure{Report: r, Error: &api.Error{Code: api.CodeInvalid,
			Message: "the playlist has bad lines; strict import changed nothing"}})
		return
	}
	report, err := a.Catalog.ImportChannels(c, currentActor(c), importItems(entries), o)
	a.logos.forget(0) // logo_url of any channel may have changed
	report.Total += len(bad)
	report.Errors = append(report.Errors, bad...)
	a.reply(c, http.StatusOK, report, err)
}

func importOptions(c *gin.Context) (api.ImportOptions, error) {
	var o api.ImportOptions
	for name, dst := range map[string]*bool{"strict": &o.Strict, "dry_run": &o.DryRun, "skip_existing": &o.SkipExisting} {
		v, err := queryBool(c, name)
		if err != nil {
			return o, err
		}
		if v != nil {
			*dst = *v
		}
	}
	return o, nil
}

func importItems(entries []m3uimport.Entry) []store.ChannelImport {
	items := make([]store.ChannelImport, len(entries))
	for i, e := range entries {
		items[i] = store.ChannelImport{Line: e.Line, Category: e.Category, Channel: e.Channel}
	}
	return items
}
