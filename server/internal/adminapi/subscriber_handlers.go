package adminapi

import (
	"net/http"
	"time"

	"canale/server/internal/store"
	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// errNotFound is what a reseller hears about a subscriber it does not own:
// the same answer as for one that does not exist.
var errNotFound = api.Errorf(api.CodeNotFound, "not found")

// handleSubscriberList answers GET /subscribers?q=&status=&package_id=
// &reseller_id=&expires_before=&sort=&cursor=&limit=. A reseller's list is
// always limited to its own subscribers, whatever reseller_id says.
func (a *API) handleSubscriberList(c *gin.Context) {
	p, ok := a.listParams(c)
	if !ok {
		return
	}
	f, err := subscriberFilter(c)
	if err != nil {
		a.writeError(c, err)
		return
	}
	if r, ok := currentReseller(c); ok {
		f.ResellerID = r.ID
	}
	page, err := a.Subscribers.FindSubscribers(c.Request.Context(), f, p)
	if err != nil {
		a.writeError(c, err)
		return
	}
	a.renderSubscriberPage(c, page)
}

func subscriberFilter(c *gin.Context) (api.SubscriberFilter, error) {
	f := api.SubscriberFilter{Status: c.Query("status")}
	var err error
	if f.PackageID, err = queryInt(c, "package_id"); err != nil {
		return f, err
	}
	if f.ResellerID, err = queryInt(c, "reseller_id"); err != nil {
		return f, err
	}
	if v := c.Query("expires_before"); v != "" {
		if f.ExpiresBefore, err = time.Parse(time.RFC3339, v); err != nil {
			return f, &api.Error{Code: api.CodeInvalid, Message: "invalid query parameter",
				Fields: map[string]string{"expires_before": "must be an RFC 3339 time"}}
		}
	}
	if f.Status != "" && !api.ValidSubscriberStatus(f.Status) {
		return f, &api.Error{Code: api.CodeInvalid, Message: "invalid query parameter",
			Fields: map[string]string{"status": "must be active, disabled or banned"}}
	}
	return f, nil
}

func (a *API) handleSubscriberGet(c *gin.Context) {
	id, ok := a.pathID(c, "id")
	if !ok {
		return
	}
	sub, err := a.Subscribers.FindSubscriberByID(c.Request.Context(), id)
	if err == nil && !store.SubscriberVisibleTo(currentActor(c), sub) {
		err = errNotFound
	}
	a.renderSubscriber(c, http.StatusOK, sub, err)
}

func (a *API) handleSubscriberCreate(c *gin.Context) {
	var sub api.Subscriber
	if a.bindJSON(c, &sub) {
		out, err := a.Subscribers.CreateSubscriber(c.Request.Context(), currentActor(c), sub)
		a.renderSubscriber(c, http.StatusCreated, out, err)
	}
}

func (a *API) handleSubscriberUpdate(c *gin.Context) {
	id, ok := a.pathID(c, "id")
	var upd api.SubscriberUpdate
	if ok && a.bindJSON(c, &upd) {
		out, err := a.Subscribers.UpdateSubscriber(c.Request.Context(), currentActor(c), id, upd)
		a.renderSubscriber(c, http.StatusOK, out, err)
	}
}

func (a *API) handleSubscriberDelete(c *gin.Context) {
	if id, ok := a.pathID(c, "id"); ok {
		a.reply(c, http.StatusNoContent, nil, a.Subscribers.DeleteSubscriber(c.Request.Context(), currentActor(c), id))
	}
}

// handleSubscriberResetToken answers POST /subscribers/{id}/reset-token
// with the subscriber and its new token.
func (a *API) handleSubscriberResetToken(c *gin.Context) {
	a.subscriberAction(c, func(actor api.Actor, id int64) (api.Subscriber, error) {
		return a.Subscribers.ResetSubscriberToken(c.Request.Context(), actor, id)
	})
}

func (a *API) handleSubscriberEnable(c *gin.Context) {
	a.subscriberAction(c, func(actor api.Actor, id int64) (api.Subscriber, error) {
		return a.Subscribers.SetSubscriberStatus(c.Request.Context(), actor, id, api.StatusActive)
	})
}

func (a *API) handleSubscriberDisable(c *gin.Context) {
	a.subscriberAction(c, func(actor api.Actor, id int64) (api.Subscriber, error) {
		return a.Subscribers.SetSubscriberStatus(c.Request.Context(), actor, id, api.StatusDisabled)
	})
}

// handleSubscriberExtend answers POST /subscribers/{id}/extend with an
// api.ExtendRequest body.
func (a *API) handleSubscriberExtend(c *gin.Context) {
	var req api.ExtendRequest
	if !a.bindValid(c, &req) {
		return
	}
	a.subscriberAction(c, func(actor api.Actor, id int64) (api.Subscriber, error) {
		return a.Subscribers.ExtendSubscriber(c.Request.Context(), actor, id, req)
	})
}

func (a *API) subscriberAction(c *gin.Context, fn func(api.Actor, int64) (api.Subscriber, error)) {
	id, ok := a.pathID(c, "id")
	if !ok {
		return
	}
	out, err := fn(currentActor(c), id)
	a.renderSubscriber(c, http.StatusOK, out, err)
}
