package adminapi

import (
	"context"
	"net/http"

	"canale/server/internal/subscriberview"
	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// ResellerBusinessStore keeps the operator's rules per reseller and what a
// reseller does with its sub-resellers; *store.Store is one. Every rule is
// checked there, whatever surface calls.
type ResellerBusinessStore interface {
	FindResellerRules(ctx context.Context, id int64) (api.ResellerRules, error)
	SetResellerRules(ctx context.Context, actor api.Actor, r api.ResellerRules) (api.ResellerRules, error)
	FindResellerActivity(ctx context.Context, id int64, p api.ListParams) (api.Page[api.AuditEntry], error)
	CreateSubReseller(ctx context.Context, actor api.Actor, r api.Reseller, passwordHash string) (api.Reseller, error)
	FindSubResellers(ctx context.Context, actor api.Actor, p api.ListParams) (api.Page[api.Reseller], error)
	FindSubtreeReseller(ctx context.Context, actor api.Actor, id int64) (api.Reseller, error)
	FindSubtreeLines(ctx context.Context, actor api.Actor, id int64, p api.ListParams) (api.Page[api.Subscriber], error)
	SetSubResellerPackages(ctx context.Context, actor api.Actor, childID int64, pkgs []api.ResellerPackage) (api.Reseller, error)
	TransferCredits(ctx context.Context, actor api.Actor, childID int64, tr api.CreditTransfer) (api.Reseller, error)
}

// TrialStore makes a reseller's trial lines within its quota.
type TrialStore interface {
	CreateTrial(ctx context.Context, actor api.Actor, req api.TrialRequest) (api.Subscriber, error)
}

// handleResellerRulesGet answers GET /resellers/{id}/rules.
func (a *API) handleResellerRulesGet(c *gin.Context) {
	if id, ok := a.pathID(c, "id"); ok {
		r, err := a.Resellers.FindResellerRules(c.Request.Context(), id)
		a.reply(c, http.StatusOK, r, err)
	}
}

// handleResellerRulesSet answers PUT /resellers/{id}/rules with the rules
// as saved; the path names the reseller, whatever the body says.
func (a *API) handleResellerRulesSet(c *gin.Context) {
	id, ok := a.pathID(c, "id")
	var r api.ResellerRules
	if !ok || !a.bindValid(c, &r) {
		return
	}
	r.ResellerID = id
	out, err := a.Resellers.SetResellerRules(c.Request.Context(), currentActor(c), r)
	a.reply(c, http.StatusOK, out, err)
}

// handleResellerActivity answers GET /resellers/{id}/activity?cursor=&limit=.
func (a *API) handleResellerActivity(c *gin.Context) {
	if id, ok := a.pathID(c, "id"); ok {
		a.activity(c, id)
	}
}

// handleMyRules answers GET /me/rules: what the operator lets the
// signed-in reseller do.
func (a *API) handleMyRules(c *gin.Context) {
	if r, ok := a.signedInReseller(c); ok {
		out, err := a.Resellers.FindResellerRules(c.Request.Context(), r.ID)
		a.reply(c, http.StatusOK, out, err)
	}
}

// handleMyActivity answers GET /me/activity?cursor=&limit=.
func (a *API) handleMyActivity(c *gin.Context) {
	if r, ok := a.signedInReseller(c); ok {
		a.activity(c, r.ID)
	}
}

func (a *API) activity(c *gin.Context, id int64) {
	if p, ok := a.listParams(c); ok {
		page, err := a.Resellers.FindResellerActivity(c.Request.Context(), id, p)
		a.reply(c, http.StatusOK, page, err)
	}
}

func (a *API) signedInReseller(c *gin.Context) (api.Reseller, bool) {
	r, ok := currentReseller(c)
	if !ok {
		a.writeError(c, api.Errorf(api.CodeNotFound, "only resellers have this; see /resellers/{id}"))
	}
	return r, ok
}

// handleMyTrial answers POST /me/trials (api.TrialRequest) with the trial line.
func (a *API) handleMyTrial(c *gin.Context) {
	var req api.TrialRequest
	if a.bindJSON(c, &req) {
		out, err := a.Subscribers.CreateTrial(c.Request.Context(), currentActor(c), req)
		a.renderSubscriber(c, http.StatusCreated, out, err)
	}
}

// handleSubResellerList answers GET /me/sub-resellers?cursor=&limit=.
func (a *API) handleSubResellerList(c *gin.Context) {
	if p, ok := a.listParams(c); ok {
		page, err := a.Resellers.FindSubResellers(c.Request.Context(), currentActor(c), p)
		a.reply(c, http.StatusOK, page, err)
	}
}

// handleSubResellerCreate answers POST /me/sub-resellers; opening credits
// come from the signed-in reseller's own.
func (a *API) handleSubResellerCreate(c *gin.Context) {
	var r api.Reseller
	if !a.bindValid(c, &r) {
		return
	}
	hash, err := a.hashPassword(c.Request.Context(), &r.Password)
	if err == nil {
		r, err = a.Resellers.CreateSubReseller(c.Request.Context(), currentActor(c), r, hash)
	}
	a.reply(c, http.StatusCreated, r, err)
}

// handleSubResellerGet answers GET /me/sub-resellers/{id} for any reseller
// in the signed-in reseller's subtree.
func (a *API) handleSubResellerGet(c *gin.Context) {
	if id, ok := a.pathID(c, "id"); ok {
		r, err := a.Resellers.FindSubtreeReseller(c.Request.Context(), currentActor(c), id)
		a.reply(c, http.StatusOK, r, err)
	}
}

// handleSubResellerLines answers GET /me/sub-resellers/{id}/subscribers, read-only.
func (a *API) handleSubResellerLines(c *gin.Context) {
	id, ok := a.pathID(c, "id")
	if !ok {
		return
	}
	p, ok := a.listParams(c)
	if !ok {
		return
	}
	page, err := a.Resellers.FindSubtreeLines(c.Request.Context(), currentActor(c), id, p)
	if err != nil {
		a.writeError(c, err)
		return
	}
	a.renderSubscriberPage(c, page)
}

// handleSubResellerPackages answers PUT /me/sub-resellers/{id}/packages
// ([]api.ResellerPackage) for a direct child.
func (a *API) handleSubResellerPackages(c *gin.Context) {
	id, ok := a.pathID(c, "id")
	var pkgs resellerPackages
	if !ok || !a.bindValid(c, &pkgs) {
		return
	}
	out, err := a.Resellers.SetSubResellerPackages(c.Request.Context(), currentActor(c), id, pkgs)
	a.reply(c, http.StatusOK, out, err)
}

// resellerPackages validates a bare list of packages and prices.
type resellerPackages []api.ResellerPackage

func (p resellerPackages) Validate() error {
	return api.ResellerUpdate{Packages: (*[]api.ResellerPackage)(&p)}.Validate()
}

// handleSubResellerCredits answers POST /me/sub-resellers/{id}/credits
// (api.CreditTransfer) with the child after the transfer.
func (a *API) handleSubResellerCredits(c *gin.Context) {
	id, ok := a.pathID(c, "id")
	var tr api.CreditTransfer
	if !ok || !a.bindValid(c, &tr) {
		return
	}
	out, err := a.Resellers.TransferCredits(c.Request.Context(), currentActor(c), id, tr)
	a.reply(c, http.StatusOK, out, err)
}

// dnsLinks returns a function that puts a reseller's subscriber's links on
// the reseller's DNS when it has one, as the playlists themselves are;
// each reseller's rules are read once per request.
func (a *API) dnsLinks(c *gin.Context) func(subscriberview.Links, api.Subscriber) subscriberview.Links {
	dns := map[int64]string{}
	return func(l subscriberview.Links, sub api.Subscriber) subscriberview.Links {
		if sub.ResellerID == nil || a.Resellers == nil {
			return l
		}
		d, ok := dns[*sub.ResellerID]
		if !ok {
			rules, err := a.Resellers.FindResellerRules(c.Request.Context(), *sub.ResellerID)
			if err != nil {
				a.Logger.WarnContext(c, "read reseller rules for links; using the server's own", "reseller_id", *sub.ResellerID, "error", err)
			}
			d = rules.DNS
			dns[*sub.ResellerID] = d
		}
		return l.OnResellerDNS(d)
	}
}
