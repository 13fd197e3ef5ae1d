package adminapi

import (
	"context"
	"net/http"
	"strconv"

	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// SessionService lists and kills play sessions (package playauth).
type SessionService interface {
	FindPlaySessions(ctx context.Context, f api.PlaySessionFilter, p api.ListParams) (api.Page[api.PlaySession], error)
	// KillPlaySession returns CodeNotFound for an unknown id.
	KillPlaySession(ctx context.Context, actor api.Actor, id int64) (api.PlaySession, error)
}

// handleSessionList answers GET /sessions: live sessions (who watches what
// now), or every recorded one with history=true; filters channel,
// subscriber (login), subscriber_id, streamer_id.
func (a *API) handleSessionList(c *gin.Context) {
	p, ok := a.listParams(c)
	if !ok {
		return
	}
	f, err := sessionFilter(c)
	if err != nil {
		a.writeError(c, err)
		return
	}
	page, err := a.Sessions.FindPlaySessions(c, f, p)
	if err != nil {
		a.writeError(c, err)
		return
	}
	a.render(c, http.StatusOK, page)
}

func sessionFilter(c *gin.Context) (api.PlaySessionFilter, error) {
	f := api.PlaySessionFilter{Channel: c.Query("channel"), SubscriberLogin: c.Query("subscriber")}
	var err error
	if f.SubscriberID, err = queryInt(c, "subscriber_id"); err != nil {
		return f, err
	}
	if f.StreamerID, err = queryInt(c, "streamer_id"); err != nil {
		return f, err
	}
	if h := c.Query("history"); h != "" {
		if f.History, err = strconv.ParseBool(h); err != nil {
			return f, &api.Error{Code: api.CodeInvalid, Message: "invalid query parameter",
				Fields: map[string]string{"history": "must be true or false"}}
		}
	}
	return f, nil
}

// handleSessionKill answers DELETE /sessions/{id}: the session is refused at
// its next check and its streamer, when registered, is asked to drop it.
func (a *API) handleSessionKill(c *gin.Context) {
	id, ok := a.pathID(c, "id")
	if !ok {
		return
	}
	if _, err := a.Sessions.KillPlaySession(c, currentActor(c), id); err != nil {
		a.writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
