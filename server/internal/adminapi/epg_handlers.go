package adminapi

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// EPGStore keeps EPG sources and reads their guides.
type EPGStore interface {
	FindEPGSources(ctx context.Context, f api.EPGSourceFilter, p api.ListParams) (api.Page[api.EPGSource], error)
	CreateEPGSource(ctx context.Context, actor api.Actor, src api.EPGSource) (api.EPGSource, error)
	UpdateEPGSource(ctx context.Context, actor api.Actor, id int64, u api.EPGSourceUpdate) (api.EPGSource, error)
	DeleteEPGSource(ctx context.Context, actor api.Actor, id int64) error
	FindEPGChannels(ctx context.Context, sourceID int64) ([]api.EPGChannel, error)
	FindProgrammes(ctx context.Context, epgIDs []string, from, to time.Time, fn func(api.EPGProgramme) error) error
}

// EPGImporter runs EPG imports and tells how far they have got.
type EPGImporter interface {
	Start(ctx context.Context, id int64) (api.EPGSourceStatus, error)
	Status(ctx context.Context, id int64) (api.EPGSourceStatus, error)
	Progress(id int64) (api.EPGProgress, bool)
}

// handleEPGSourceList answers GET /epg-sources?cursor=&limit=&q=&enabled=,
// ordered by name, each with the state of its import.
func (a *API) handleEPGSourceList(c *gin.Context) {
	p, ok := a.listParams(c)
	if !ok {
		return
	}
	var f api.EPGSourceFilter
	if v := c.Query("enabled"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			a.writeError(c, &api.Error{Code: api.CodeInvalid, Message: "invalid query parameter",
				Fields: map[string]string{"enabled": "must be true or false"}})
			return
		}
		f.Enabled = &b
	}
	page, err := a.EPG.FindEPGSources(c.Request.Context(), f, p)
	if err != nil {
		a.writeError(c, err)
		return
	}
	out := api.Page[api.EPGSourceStatus]{Items: make([]api.EPGSourceStatus, len(page.Items)), Next: page.Next}
	for i, src := range page.Items {
		out.Items[i] = api.EPGSourceStatus{EPGSource: src}
		if pr, running := a.EPGImports.Progress(src.ID); running {
			out.Items[i].Running, out.Items[i].Progress = true, &pr
		}
	}
	a.render(c, http.StatusOK, out)
}

func (a *API) handleEPGSourceGet(c *gin.Context) {
	id, ok := a.pathID(c, "id")
	if !ok {
		return
	}
	st, err := a.EPGImports.Status(c.Request.Context(), id)
	if err != nil {
		a.writeError(c, err)
		return
	}
	a.render(c, http.StatusOK, st)
}

func (a *API) handleEPGSourceCreate(c *gin.Context) {
	var src api.EPGSource
	if !a.bindJSON(c, &src) {
		return
	}
	out, err := a.EPG.CreateEPGSource(c.Request.Context(), currentActor(c), src)
	if err != nil {
		a.writeError(c, err)
		return
	}
	a.render(c, http.StatusCreated, out)
}

func (a *API) handleEPGSourceUpdate(c *gin.Context) {
	id, ok := a.pathID(c, "id")
	if !ok {
		return
	}
	var u api.EPGSourceUpdate
	if !a.bindJSON(c, &u) {
		return
	}
	out, err := a.EPG.UpdateEPGSource(c.Request.Context(), currentActor(c), id, u)
	if err != nil {
		a.writeError(c, err)
		return
	}
	a.render(c, http.StatusOK, out)
}

func (a *API) handleEPGSourceDelete(c *gin.Context) {
	id, ok := a.pathID(c, "id")
	if !ok {
		return
	}
	if err := a.EPG.DeleteEPGSource(c.Request.Context(), currentActor(c), id); err != nil {
		a.writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// handleEPGSourceRun starts an import now (or finds the running one) and
// answers 202 with the source's state; the outcome arrives as an epg_done event.
func (a *API) handleEPGSourceRun(c *gin.Context) {
	id, ok := a.pathID(c, "id")
	if !ok {
		return
	}
	st, err := a.EPGImports.Start(c.Request.Context(), id)
	if err != nil {
		a.writeError(c, err)
		return
	}
	a.render(c, http.StatusAccepted, st)
}

func (a *API) handleEPGSourceChannels(c *gin.Context) {
	id, ok := a.pathID(c, "id")
	if !ok {
		return
	}
	chans, err := a.EPG.FindEPGChannels(c.Request.Context(), id)
	if err != nil {
		a.writeError(c, err)
		return
	}
	a.render(c, http.StatusOK, chans)
}

// handleProgrammes answers GET /epg/programmes?epg_id=a&epg_id=b&from=&to=
// (ids also comma-separated; RFC 3339 times, by default the next 24 hours)
// with the programmes overlapping the window, by channel and start. The
// array is written as the rows arrive, so a large window is not buffered.
func (a *API) handleProgrammes(c *gin.Context) {
	ids, from, to, err := programmeQuery(c)
	if err != nil {
		a.writeError(c, err)
		return
	}
	enc := json.NewEncoder(c.Writer)
	n := 0
	err = a.EPG.FindProgrammes(c.Request.Context(), ids, from, to, func(p api.EPGProgramme) error {
		if n == 0 {
			c.Header("Content-Type", "application/json; charset=utf-8")
			c.Status(http.StatusOK)
			c.Writer.WriteString("[")
		} else {
			c.Writer.WriteString(",")
		}
		n++
		return enc.Encode(p)
	})
	switch {
	case err != nil && n == 0:
		a.writeError(c, err)
	case err != nil: // the status is sent; cut the array short so the client sees broken JSON
		a.Logger.WarnContext(c.Request.Context(), "stream programmes", "error", err)
	case n == 0:
		a.render(c, http.StatusOK, []api.EPGProgramme{})
	default:
		c.Writer.WriteString("]")
	}
}

func programmeQuery(c *gin.Context) (ids []string, from, to time.Time, err error) {
	f := api.FieldErrors{}
	for _, v := range c.QueryArray("epg_id") {
		for _, id := range strings.Split(v, ",") {
			if id = strings.TrimSpace(id); id != "" {
				ids = append(ids, id)
			}
		}
	}
	if len(ids) == 0 {
		f.Add("epg_id", "required")
	}
	from, to = time.Now(), time.Now().Add(24*time.Hour)
	if v := c.Query("from"); v != "" {
		if from, err = time.Parse(time.RFC3339, v); err != nil {
			f.Add("from", "must be an RFC 3339 time")
		}
	}
	if v := c.Query("to"); v != "" {
		if to, err = time.Parse(time.RFC3339, v); err != nil {
			f.Add("to", "must be an RFC 3339 time")
		} else if c.Query("from") == "" {
			from = to.Add(-24 * time.Hour)
		}
	}
	if !to.After(from) || to.Sub(from) > api.MaxEPGWindow {
		f.Add("to", "must be after from, by at most 31 days")
	}
	return ids, from, to, f.Err()
}
