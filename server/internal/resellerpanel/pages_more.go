package resellerpanel

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// lineData is the line page: the hand-over, what it plays now, its MAG
// devices and its notes.
type lineData struct {
	handoverData
	Connections []api.PlaySession
	Devices     []api.Device
}

func (p *Panel) lineDone(c *gin.Context, id int64, done string) {
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/reseller/lines/%d?done=%s", id, done))
}

func (p *Panel) handleLinePassword(c *gin.Context) {
	sub, ok := p.line(c)
	if !ok {
		return
	}
	pw := c.PostForm("password")
	upd := api.SubscriberUpdate{Password: &pw, Version: sub.Version}
	out, err := p.deps.Store.UpdateSubscriber(c.Request.Context(), current(c).actor(c), sub.ID, upd)
	if err != nil {
		p.refused(c, err)
		return
	}
	p.handover(c, http.StatusOK, out, pw, "Password changed; the customer's old one no longer works.")
}

func (p *Panel) handleLineNotes(c *gin.Context) {
	sub, ok := p.line(c)
	if !ok {
		return
	}
	notes := c.PostForm("notes")
	if _, err := p.deps.Store.UpdateSubscriber(c.Request.Context(), current(c).actor(c), sub.ID,
		api.SubscriberUpdate{Notes: &notes, Version: sub.Version}); err != nil {
		p.refused(c, err)
		return
	}
	p.lineDone(c, sub.ID, "Notes+saved")
}

func (p *Panel) handleLineResetToken(c *gin.Context) {
	sub, ok := p.line(c)
	if !ok {
		return
	}
	if _, err := p.deps.Store.ResetSubscriberToken(c.Request.Context(), current(c).actor(c), sub.ID); err != nil {
		p.refused(c, err)
		return
	}
	p.lineDone(c, sub.ID, "New+links+made;+the+old+ones+stopped")
}

func (p *Panel) handleLineDelete(c *gin.Context) {
	sub, ok := p.line(c)
	if !ok {
		return
	}
	if err := p.deps.Store.DeleteSubscriber(c.Request.Context(), current(c).actor(c), sub.ID); err != nil {
		p.refused(c, err)
		return
	}
	p.lines(c, http.StatusOK, "", "Deleted "+sub.Login+".")
}

func (p *Panel) handleLineKill(c *gin.Context) {
	sub, ok := p.line(c)
	if !ok || p.deps.Sessions == nil {
		return
	}
	id, _ := strconv.ParseInt(c.Param("session"), 10, 64)
	if _, err := p.deps.Sessions.KillPlaySession(c.Request.Context(), current(c).actor(c), id); err != nil {
		p.refused(c, err)
		return
	}
	p.lineDone(c, sub.ID, "Connection+ended")
}

func (p *Panel) connections(c *gin.Context, sub api.Subscriber) []api.PlaySession {
	if p.deps.Sessions == nil {
		return nil
	}
	page, err := p.deps.Sessions.FindPlaySessions(c.Request.Context(), api.PlaySessionFilter{SubscriberID: sub.ID}, api.ListParams{})
	if err != nil {
		p.deps.Logger.WarnContext(c, "reseller panel: list connections", "error", err)
		return nil
	}
	return page.Items
}

type logsData struct {
	Credits  []api.CreditLogEntry
	Activity []api.AuditEntry
}

// handleLogs shows the reseller's credit movements and its activity
// (who did what, when, from where), newest first.
func (p *Panel) handleLogs(c *gin.Context) {
	id := current(c).reseller.ID
	newest := api.ListParams{Limit: 100} // the panel shows the latest; the API pages further
	credits, err := p.deps.Store.FindCreditLog(c.Request.Context(), id, newest)
	var activity api.Page[api.AuditEntry]
	if err == nil {
		activity, err = p.deps.Store.FindResellerActivity(c.Request.Context(), id, newest)
	}
	if err != nil {
		p.unavailable(c, "reseller logs", err)
		return
	}
	p.render(c, http.StatusOK, "logs", page{Title: "Logs", Nav: "logs", Data: logsData{credits.Items, activity.Items}})
}

type subResellersData struct {
	Children []api.Reseller
	Offers   []offer
	Allowed  bool
}

func (p *Panel) handleSubResellers(c *gin.Context) { p.subResellers(c, http.StatusOK, "", "") }

func (p *Panel) subResellers(c *gin.Context, status int, msg, notice string) {
	s := current(c)
	page1, err := p.deps.Store.FindSubResellers(c.Request.Context(), s.actor(c), api.ListParams{Limit: api.MaxLimit})
	var rules api.ResellerRules
	if err == nil {
		rules, err = p.deps.Store.FindResellerRules(c.Request.Context(), s.reseller.ID)
	}
	if err != nil {
		p.unavailable(c, "reseller sub-resellers", err)
		return
	}
	p.render(c, status, "subresellers", page{Title: "Sub-resellers", Nav: "subresellers", Error: msg, Notice: notice,
		Data: subResellersData{Children: page1.Items, Offers: p.offers(c, s.reseller),
			Allowed: rules.MayCreateResellers && rules.MaxDepth > 0}})
}

func (p *Panel) subRefused(c *gin.Context, err error) {
	if api.ErrorCode(err) == "" || api.ErrorCode(err) == api.CodeInternal {
		p.unavailable(c, "reseller panel write", err)
		return
	}
	p.subResellers(c, http.StatusBadRequest, fieldMessage(err), "")
}

func (p *Panel) handleSubResellerCreate(c *gin.Context) {
	s := current(c)
	var credits int64
	var err error
	if v := strings.TrimSpace(c.PostForm("credits")); v != "" {
		if credits, err = api.ParseCredits("credits", v, false); err != nil {
			p.subRefused(c, err)
			return
		}
	}
	r := api.Reseller{Login: strings.TrimSpace(c.PostForm("login")), Password: c.PostForm("password"),
		Name: strings.TrimSpace(c.PostForm("name")), CreditsMinor: credits}
	if r.Packages, err = p.formPrices(c, s.reseller); err != nil {
		p.subRefused(c, err)
		return
	}
	if err := r.Validate(); err != nil {
		p.subRefused(c, err)
		return
	}
	hash, err := p.deps.Hasher.Hash(c.Request.Context(), r.Password)
	if err == nil {
		r, err = p.deps.Store.CreateSubReseller(c.Request.Context(), s.actor(c), r, hash)
	}
	if err != nil {
		p.subRefused(c, err)
		return
	}
	p.subResellers(c, http.StatusCreated, "", "Created sub-reseller "+r.Login+".")
}

type subResellerData struct {
	Child api.Reseller
	Lines []api.Subscriber
	Next  string
	// Direct is true for the reseller's own child, whose packages and
	// prices it sets (Offers: its own, Prices: the child's as typed, by
	// package; a free one reads "0.00", not blank, which is "not sold").
	Direct bool
	Offers []offer
	Prices map[int64]string
}

func (p *Panel) handleSubReseller(c *gin.Context) {
	s := current(c)
	id, _ := strconv.ParseInt(c.Param("id"), 10, 64)
	child, err := p.deps.Store.FindSubtreeReseller(c.Request.Context(), s.actor(c), id)
	var lines api.Page[api.Subscriber]
	if err == nil {
		lines, err = p.deps.Store.FindSubtreeLines(c.Request.Context(), s.actor(c), id, api.ListParams{Cursor: c.Query("cursor"), Limit: 50})
	}
	if api.ErrorCode(err) == api.CodeNotFound || api.ErrorCode(err) == api.CodeForbidden {
		p.problem(c, http.StatusNotFound, "Reseller not found", "This reseller is not one of yours.")
		return
	}
	if err != nil {
		p.unavailable(c, "reseller sub-reseller", err)
		return
	}
	d := subResellerData{Child: child, Lines: lines.Items, Next: lines.Next, Prices: map[int64]string{},
		Direct: child.ParentID != nil && *child.ParentID == s.reseller.ID}
	if d.Direct {
		d.Offers = p.offers(c, s.reseller)
		for _, rp := range child.Packages {
			d.Prices[rp.PackageID] = api.FormatCredits(rp.PriceCreditsMinor)
		}
	}
	p.render(c, http.StatusOK, "subreseller", page{Title: "Sub-reseller " + child.Login, Nav: "subresellers",
		Notice: c.Query("done"), Data: d})
}

func (p *Panel) handleSubResellerCredits(c *gin.Context) {
	id, _ := strconv.ParseInt(c.Param("id"), 10, 64)
	delta, err := api.ParseCredits("delta", c.PostForm("delta"), true)
	tr := api.CreditTransfer{DeltaMinor: delta, Reason: strings.TrimSpace(c.PostForm("reason"))}
	if err == nil {
		err = tr.Validate()
	}
	if err == nil {
		_, err = p.deps.Store.TransferCredits(c.Request.Context(), current(c).actor(c), id, tr)
	}
	if err != nil {
		p.subRefused(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/reseller/subresellers/%d?done=Credits+transferred", id))
}

// formPrices reads the price_<package> fields of a sub-reseller form: a
// package of the parent's with a price is sold at it, a blank one is not
// sold. Prices are parsed exactly (api.ParseCredits), naming "packages".
func (p *Panel) formPrices(c *gin.Context, parent api.Reseller) ([]api.ResellerPackage, error) {
	out := []api.ResellerPackage{}
	for _, o := range p.offers(c, parent) {
		if v := strings.TrimSpace(c.PostForm(fmt.Sprintf("price_%d", o.ID))); v != "" {
			price, err := api.ParseCredits("packages", v, false)
			if err != nil {
				return nil, err
			}
			out = append(out, api.ResellerPackage{PackageID: o.ID, PriceCreditsMinor: price})
		}
	}
	return out, nil
}

// handleSubResellerPackages sets what a direct child sells and at what
// prices; the store refuses a price below the parent's own, a package the
// parent does not sell, and anyone but a direct child (not found).
func (p *Panel) handleSubResellerPackages(c *gin.Context) {
	s := current(c)
	id, _ := strconv.ParseInt(c.Param("id"), 10, 64)
	pkgs, err := p.formPrices(c, s.reseller)
	if err == nil {
		_, err = p.deps.Store.SetSubResellerPackages(c.Request.Context(), s.actor(c), id, pkgs)
	}
	if err != nil {
		p.subRefused(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/reseller/subresellers/%d?done=Prices+saved", id))
}
