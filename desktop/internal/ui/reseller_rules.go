package ui

import (
	"fmt"
	"strconv"
	"strings"

	"canale/shared/api"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// resellerRulesForm edits what the operator lets the selected reseller do
// (its rules) and what it sells at what price, the two halves of a
// reseller's terms; it is part of the Resellers screen.
type resellerRulesForm struct {
	w       *Window
	editing api.Reseller

	packages                                   *widget.Entry
	perDay, perMonth, trialPackage, trialHours *widget.Entry
	maxDepth, minLogin, minPassword, dns       *widget.Entry
	mayCreate, mayKill, refund                 *widget.Check
	outcome                                    *widget.Label
	onSaved                                    func(api.Reseller)
}

// newResellerRulesForm calls onSaved with the reseller as saved, so the
// screen holds its new version.
func newResellerRulesForm(w *Window, onSaved func(api.Reseller)) *resellerRulesForm {
	return &resellerRulesForm{w: w, onSaved: onSaved,
		packages: &widget.Entry{PlaceHolder: "package_id=price, e.g. 1=5, 2=8.50"},
		perDay:   &widget.Entry{}, perMonth: &widget.Entry{}, trialPackage: &widget.Entry{PlaceHolder: "package id"},
		trialHours: &widget.Entry{}, maxDepth: &widget.Entry{}, minLogin: &widget.Entry{}, minPassword: &widget.Entry{},
		dns:       &widget.Entry{PlaceHolder: "e.g. tv.example.com (blank: the server's own)"},
		mayCreate: &widget.Check{Text: "may create sub-resellers"}, mayKill: &widget.Check{Text: "may end its customers' connections"},
		refund:  &widget.Check{Text: "refund unused time when it deletes a line"},
		outcome: statusLabel()}
}

func (f *resellerRulesForm) buildUI() fyne.CanvasObject {
	form := &widget.Form{Items: []*widget.FormItem{
		{Text: "Sells (package=price)", Widget: f.packages},
		{Text: "Trials per day", Widget: f.perDay}, {Text: "Trials per month", Widget: f.perMonth},
		{Text: "Trial package", Widget: f.trialPackage}, {Text: "Trial hours", Widget: f.trialHours},
		{Text: "Sub-resellers", Widget: f.mayCreate}, {Text: "Max depth", Widget: f.maxDepth},
		{Text: "Min login length", Widget: f.minLogin}, {Text: "Min password length", Widget: f.minPassword},
		{Text: "Connections", Widget: f.mayKill}, {Text: "DNS", Widget: f.dns}, {Text: "On delete", Widget: f.refund},
	}}
	return widget.NewCard("Rules", "what this reseller may do and sell", container.NewVBox(form,
		toolbar(f.w.editButton("Save rules", theme.DocumentSaveIcon(), f.onSave)), f.outcome))
}

// edit shows r's packages and loads its rules.
func (f *resellerRulesForm) edit(r api.Reseller) {
	f.editing = r
	f.outcome.SetText("")
	f.packages.SetText(formatResellerPackages(r.Packages))
	f.show(api.DefaultResellerRules(r.ID))
	if r.ID == 0 {
		return
	}
	f.w.async(func() func() {
		ctx, cancel := callCtx()
		defer cancel()
		rules, err := f.w.sess.API().ResellerRules(ctx, r.ID)
		return func() {
			if f.editing.ID != r.ID {
				return
			}
			if err != nil {
				showOutcome(f.outcome, "", err)
				return
			}
			f.show(rules)
		}
	})
}

func (f *resellerRulesForm) show(r api.ResellerRules) {
	f.perDay.SetText(strconv.Itoa(r.TrialsPerDay))
	f.perMonth.SetText(strconv.Itoa(r.TrialsPerMonth))
	f.trialPackage.SetText("")
	if r.TrialPackageID != nil {
		f.trialPackage.SetText(strconv.FormatInt(*r.TrialPackageID, 10))
	}
	f.trialHours.SetText(strconv.Itoa(r.TrialHours))
	f.mayCreate.SetChecked(r.MayCreateResellers)
	f.maxDepth.SetText(strconv.Itoa(r.MaxDepth))
	f.minLogin.SetText(strconv.Itoa(r.MinLoginLength))
	f.minPassword.SetText(strconv.Itoa(r.MinPasswordLength))
	f.mayKill.SetChecked(r.MayKillConnections)
	f.dns.SetText(r.DNS)
	f.refund.SetChecked(r.RefundUnusedOnDelete)
}

// read turns the form into rules and packages, naming the field it cannot read.
func (f *resellerRulesForm) read() (api.ResellerRules, []api.ResellerPackage, error) {
	r := api.ResellerRules{ResellerID: f.editing.ID, MayCreateResellers: f.mayCreate.Checked,
		MayKillConnections: f.mayKill.Checked, RefundUnusedOnDelete: f.refund.Checked, DNS: strings.TrimSpace(f.dns.Text)}
	for _, n := range []struct {
		name string
		e    *widget.Entry
		v    *int
	}{{"trials per day", f.perDay, &r.TrialsPerDay}, {"trials per month", f.perMonth, &r.TrialsPerMonth},
		{"trial hours", f.trialHours, &r.TrialHours}, {"max depth", f.maxDepth, &r.MaxDepth},
		{"min login length", f.minLogin, &r.MinLoginLength}, {"min password length", f.minPassword, &r.MinPasswordLength}} {
		v, err := strconv.Atoi(strings.TrimSpace(n.e.Text))
		if err != nil {
			return r, nil, fmt.Errorf("%s: a whole number, please", n.name)
		}
		*n.v = v
	}
	if t := strings.TrimSpace(f.trialPackage.Text); t != "" {
		id, err := strconv.ParseInt(t, 10, 64)
		if err != nil {
			return r, nil, fmt.Errorf("trial package: a package id, please")
		}
		r.TrialPackageID = &id
	}
	pkgs, err := parseResellerPackages(f.packages.Text)
	return r, pkgs, err
}

func (f *resellerRulesForm) onSave() {
	if f.editing.ID == 0 {
		showOutcome(f.outcome, "", fmt.Errorf("save the new reseller first, then its rules"))
		return
	}
	rules, pkgs, err := f.read()
	if err == nil {
		err = rules.Validate()
	}
	if err != nil {
		showOutcome(f.outcome, "", err)
		return
	}
	id, version := f.editing.ID, f.editing.Version
	f.w.async(func() func() {
		ctx, cancel := callCtx()
		defer cancel()
		saved, err := f.w.sess.API().UpdateReseller(ctx, id, api.ResellerUpdate{Packages: &pkgs, Version: version})
		if err == nil {
			_, err = f.w.sess.API().SetResellerRules(ctx, rules)
		}
		return func() {
			if err == nil {
				f.onSaved(saved)
			}
			showOutcome(f.outcome, "Rules saved.", err)
		}
	})
}

func formatResellerPackages(pkgs []api.ResellerPackage) string {
	parts := make([]string, len(pkgs))
	for i, p := range pkgs {
		parts[i] = fmt.Sprintf("%d=%s", p.PackageID, api.FormatCredits(p.PriceCreditsMinor))
	}
	return strings.Join(parts, ", ")
}

// parseResellerPackages reads "1=5, 2=8.50" into packages and prices.
func parseResellerPackages(s string) ([]api.ResellerPackage, error) {
	out := []api.ResellerPackage{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		id, price, ok := strings.Cut(part, "=")
		pid, err1 := strconv.ParseInt(strings.TrimSpace(id), 10, 64)
		if !ok || err1 != nil {
			return nil, fmt.Errorf("sells: %q is not package_id=price", part)
		}
		pr, err := api.ParseCredits("sells", price, false)
		if err != nil {
			return nil, fmt.Errorf("price of %q: %w", part, err)
		}
		out = append(out, api.ResellerPackage{PackageID: pid, PriceCreditsMinor: pr})
	}
	return out, nil
}
