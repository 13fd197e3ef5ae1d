package importxc

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"canale/server/internal/store"
	"canale/shared/api"
)

// An XC sale package ("offer": packages / users_packages) is what a
// reseller sells: a list of bouquets for a duration at a price in credits,
// official and/or as a trial, to the member groups it names. Canale sells
// packages, each with its own content and period, at a per-reseller price
// (reseller_packages), and a reseller's trials are its rules
// (reseller_rules). So each offer becomes a package holding its bouquets'
// content, sold by every imported reseller of its groups at its credits,
// and a trial offer becomes the trial package of those resellers' rules.

// offer is one sale package as read.
type offer struct {
	id, packageID   int64
	name            string
	trial, official bool
	credits         float64 // official_credits
	trialCredits    float64
	periodDays      int
	trialHours      int
	groups          []int64
}

// importOffers turns sale packages into packages, reseller prices and
// trial rules, and the member groups' permissions into reseller rules.
func (im *importer) importOffers(ctx context.Context) error {
	table := im.src.names.offers
	rows, err := im.src.read(ctx, table, "id")
	if err != nil {
		return err
	}
	base := int64(0) // offer packages come after the bouquets' ids
	for id := range im.bouquets {
		base = max(base, id)
	}
	var offers []offer
	var pkgs []store.ImportPackage
	im.offerPackages = map[int64]int64{}
	for _, r := range rows {
		o, p, why := im.offer(r, base)
		if why != "" {
			im.rep.skip(table, r.int("id"), why)
			continue
		}
		offers = append(offers, o)
		pkgs = append(pkgs, p)
		im.packages[p.ID] = true
		im.offerPackages[o.id] = p.ID
	}
	if err := im.ci.Packages(ctx, pkgs); err != nil {
		return err
	}
	sells, rules := im.resellerOffers(offers)
	im.rep.Imported["offers"] = len(pkgs)
	im.rep.Imported["reseller_packages"] = len(sells)
	im.rep.Imported["reseller_rules"] = len(rules)
	if err := im.ci.ResellerPackages(ctx, sells); err != nil {
		return err
	}
	return im.ci.ResellerRules(ctx, rules)
}

// offer reads one sale package and the Canale package it becomes, or why
// it cannot be sold. A panel whose table has no is_official column sells
// every package officially (early XUI.one builds).
func (im *importer) offer(r row, base int64) (offer, store.ImportPackage, string) {
	id := r.int("id")
	o := offer{id: id, packageID: base + id, name: r.str("package_name"), trial: r.bool("is_trial"),
		official: !r.has("is_official") || r.bool("is_official"), credits: max(r.float("official_credits"), 0),
		trialCredits: max(r.float("trial_credits"), 0), groups: r.ids("groups")}
	if id <= 0 {
		return o, store.ImportPackage{}, "no id"
	}
	if !o.trial && !o.official {
		return o, store.ImportPackage{}, "neither trial nor official: nothing to sell"
	}
	p := store.ImportPackage{ID: o.packageID}
	seen := map[string]bool{}
	add := func(kind string, dst *[]int64, ids []int64) {
		for _, i := range ids {
			if k := kind + strconv.FormatInt(i, 10); !seen[k] {
				seen[k] = true
				*dst = append(*dst, i)
			}
		}
	}
	bouquets := 0
	for _, b := range r.ids("bouquets") {
		if content, ok := im.bouquets[b]; ok {
			bouquets++
			add("c", &p.ChannelIDs, content.ChannelIDs)
			add("v", &p.VODIDs, content.VODIDs)
			add("s", &p.SeriesIDs, content.SeriesIDs)
		}
	}
	if bouquets == 0 {
		return o, p, "none of its bouquets was imported"
	}
	if o.name == "" {
		o.name = "Offer " + strconv.FormatInt(id, 10)
	}
	name, renamed := im.packageNames.unique(o.name)
	if renamed {
		im.rep.note("sale package %d imported as package %d named %q (a bouquet has its name)", id, o.packageID, name)
	}
	var trialDays int
	o.trialHours, trialDays = durationHours(r.int("trial_duration"), r.str("trial_duration_in"))
	officialHours, officialDays := durationHours(r.int("official_duration"), r.str("official_duration_in"))
	switch {
	case o.official && officialHours > 0:
		o.periodDays = officialDays
	case o.official:
		o.periodDays = 30
		im.rep.note("sale package %d: official duration %q %q is not a duration; sold for 30 days", id,
			r.str("official_duration"), r.str("official_duration_in"))
	default:
		o.periodDays = max(trialDays, 1)
	}
	if o.trial && (o.trialHours < 1 || o.trialHours > 744) {
		im.rep.note("sale package %d: trial of %d hours set to %d (Canale trials last 1 to 744 hours)", id, o.trialHours,
			min(max(o.trialHours, 1), 744))
		o.trialHours = min(max(o.trialHours, 1), 744)
	}
	if o.trial && o.trialCredits > 0 {
		im.rep.note("sale package %d: its trial cost %.2f credits; Canale trials are free and counted per day and month", id, o.trialCredits)
	}
	p.Name, p.PeriodDays = name, o.periodDays
	p.Description = fmt.Sprintf("XC sale package %d (%s)", id, strings.Join(offerTerms(o), "; "))
	im.rep.Imported["package_channels"] += len(p.ChannelIDs)
	im.rep.Imported["package_vod"] += len(p.VODIDs)
	im.rep.Imported["package_series"] += len(p.SeriesIDs)
	return o, p, ""
}

func offerTerms(o offer) []string {
	var t []string
	if o.official {
		t = append(t, fmt.Sprintf("%g credits for %d days", o.credits, o.periodDays))
	}
	if o.trial {
		t = append(t, fmt.Sprintf("trial %d hours", o.trialHours))
	}
	return t
}

// durationHours converts an XC duration and unit (hours, days, months,
// years) to hours and to whole days (rounded up); 0, 0 when it is not one.
func durationHours(n int64, unit string) (hours, days int) {
	per := map[string]float64{"hour": 1, "hours": 1, "day": 24, "days": 24, "month": 720, "months": 720,
		"year": 8760, "years": 8760}[strings.ToLower(strings.TrimSpace(unit))]
	h := float64(n) * per
	if h <= 0 || h > 100*8760 {
		return 0, 0
	}
	return int(h), int(math.Ceil(h / 24))
}

// resellerOffers gives each imported reseller the offers of its group at
// their credits and its rules: the group's trials (with the group's first
// trial offer), sub-resellers and credential lengths, and its DNS.
func (im *importer) resellerOffers(offers []offer) ([]store.ImportResellerPackage, []api.ResellerRules) {
	var sells []store.ImportResellerPackage
	var rules []api.ResellerRules
	ids := make([]int64, 0, len(im.resellerRows))
	for id := range im.resellerRows {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	noTrialOffer, overrides, subPrice := 0, 0, 0
	for _, id := range ids {
		r := im.resellerRows[id]
		group := r.int("member_group_id")
		g := im.groups[group]
		if o := r.str("override_packages"); o != "" && o != "[]" && o != "{}" && o != "null" {
			overrides++
		}
		rule := api.DefaultResellerRules(id)
		for _, o := range offers {
			if !slices.Contains(o.groups, group) {
				continue
			}
			if o.official {
				sells = append(sells, store.ImportResellerPackage{ResellerID: id, PackageID: o.packageID, PriceCredits: o.credits})
			}
			if o.trial && rule.TrialPackageID == nil {
				pkg := o.packageID
				rule.TrialPackageID, rule.TrialHours = &pkg, o.trialHours
			}
		}
		if n := int(max(min(g.int("total_allowed_gen_trials"), 1<<20), 0)); n > 0 {
			if rule.TrialPackageID == nil {
				noTrialOffer++
			} else {
				rule.TrialsPerDay, rule.TrialsPerMonth = trialQuota(n, g.str("total_allowed_gen_in"))
			}
		}
		if g.bool("create_sub_resellers") {
			rule.MayCreateResellers, rule.MaxDepth = true, 1
			if g.float("create_sub_resellers_price") > 0 {
				subPrice++
			}
		}
		rule.MinLoginLength = int(min(max(g.int("minimum_username_length"), 1), 64))
		rule.MinPasswordLength = int(min(max(g.int("minimum_password_length"), 1), 128))
		if dns := r.str("reseller_dns"); dns != "" && rule.Validate() == nil {
			if rule.DNS = dns; rule.Validate() != nil {
				im.rep.note("reseller %d: reseller_dns %q is not a host Canale can link to; left out", id, dns)
				rule.DNS = ""
			}
		}
		if err := rule.Validate(); err != nil {
			im.rep.note("reseller %d: its group's rules do not fit Canale's (%v); default rules kept", id, err)
			rule = api.DefaultResellerRules(id)
		}
		if rule != api.DefaultResellerRules(id) {
			rules = append(rules, rule)
		}
	}
	if overrides > 0 {
		im.rep.note("%d resellers have per-package prices of their own (override_packages); they sell at the sale packages' credits until set per reseller", overrides)
	}
	if subPrice > 0 {
		im.rep.note("%d resellers' groups charged credits to create a sub-reseller (create_sub_resellers_price); Canale charges nothing for it", subPrice)
	}
	if noTrialOffer > 0 {
		im.rep.note("%d resellers' groups allow trials but no trial sale package is offered to them; they get no trials until one is set", noTrialOffer)
	}
	return sells, rules
}

// trialQuota turns XC's "n trials per unit" into Canale's daily and
// monthly caps (both must allow a trial).
func trialQuota(n int, unit string) (perDay, perMonth int) {
	switch strings.ToLower(strings.TrimSpace(unit)) {
	case "day", "days":
		return n, n * 31
	case "week", "weeks":
		return n, n * 5
	case "hour", "hours":
		return n * 24, n * 24 * 31
	}
	return n, n // a month, or an unknown unit read as one
}

// offerPackage is the package of the sale package a line was sold or last
// renewed with (XUI lines.package_id), when that offer was imported: with
// it the line holds what its reseller renews. A line naming an offer that
// was not imported keeps its bouquets only, and is counted for the report.
func (im *importer) offerPackage(r row) (int64, bool) {
	id := r.int("package_id")
	if id <= 0 {
		return 0, false
	}
	pkg, ok := im.offerPackages[id]
	if !ok {
		im.unknownOffers++
	}
	return pkg, ok
}

// noteLineOffers reports the lines whose sale package was not imported.
func (im *importer) noteLineOffers() {
	if im.unknownOffers > 0 {
		im.rep.note("%d lines name a sale package (package_id) that was not imported; they keep their bouquets' packages only", im.unknownOffers)
	}
}
