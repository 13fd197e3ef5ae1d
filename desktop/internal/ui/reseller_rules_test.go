package ui

import (
	"strconv"
	"testing"

	"canale/shared/api"

	"fyne.io/fyne/v2/test"
)

func TestResellersScreenSetsRulesAndPrices(t *testing.T) {
	f := setup(t)
	f.signInAdmin(t)
	pkg, err := f.srv.Admin.CreatePackage(ctx(t), api.Package{Name: "Gold", PeriodDays: 30})
	if err != nil {
		t.Fatal(err)
	}
	r, err := f.srv.Admin.CreateReseller(ctx(t), api.Reseller{Login: "dealer", Password: "dealer-password"})
	if err != nil {
		t.Fatal(err)
	}
	s := screenOf[*resellersScreen](t, f)
	f.ui(func() { s.edit(r) })
	f.waitUI(t, "the default rules shown", func() bool { return s.rules.minLogin.Text == "1" })
	f.ui(func() {
		s.rules.packages.SetText("")
		test.Type(s.rules.packages, strconv.FormatInt(pkg.ID, 10)+"=7.5")
		s.rules.perDay.SetText("2")
		s.rules.perMonth.SetText("20")
		s.rules.trialPackage.SetText(strconv.FormatInt(pkg.ID, 10))
		s.rules.dns.SetText("tv.dealer.example")
		s.rules.mayKill.SetChecked(true)
	})
	f.tapOn(t, s, "Save rules")
	f.waitUI(t, "rules saved", func() bool { return s.rules.outcome.Text == "Rules saved." })
	rules, err := f.srv.Admin.ResellerRules(ctx(t), r.ID)
	if err != nil || rules.TrialsPerDay != 2 || rules.TrialsPerMonth != 20 || rules.DNS != "tv.dealer.example" ||
		!rules.MayKillConnections || rules.TrialPackageID == nil || *rules.TrialPackageID != pkg.ID {
		t.Errorf("rules on the server: %+v, %v", rules, err)
	}
	got, err := f.srv.Admin.Reseller(ctx(t), r.ID)
	if err != nil || len(got.Packages) != 1 || got.Packages[0].PriceCreditsMinor != 750 {
		t.Errorf("prices on the server: %+v, %v; want package %d at 7.50 (750)", got.Packages, err, pkg.ID)
	}
	f.ui(func() { s.rules.perDay.SetText("two") })
	f.tapOn(t, s, "Save rules")
	var outcome string
	f.ui(func() { outcome = s.rules.outcome.Text })
	if outcome == "" || outcome == "Rules saved." {
		t.Errorf("a word for a number: outcome %q, want the field named", outcome)
	}
}
