package cli

import (
	"context"
	"fmt"

	"canale/server/internal/credential"
	"canale/server/internal/store"
	"canale/shared/api"
)

// demoReseller is the demo's reseller: it sells both packages, may make
// trials on Basic, and has already sold a few lines, so its panel shows a
// business at once.
const demoReseller = "dealer"

// seedDemoReseller creates the reseller with credits and sells its lines
// through the store's own rules (each debited), returning its password.
func seedDemoReseller(ctx context.Context, s *store.Store) (string, error) {
	password := credential.NewPassword(12)
	hash, err := credential.HashPassword(password)
	if err != nil {
		return "", err
	}
	pkgs, err := s.FindPackages(ctx, api.PackageFilter{}, api.ListParams{Limit: api.MaxLimit})
	if err != nil {
		return "", err
	}
	ids := map[string]int64{}
	for _, p := range pkgs.Items {
		ids[p.Name] = p.ID
	}
	basic, premium := ids["Basic"], ids["Premium"]
	actor := api.SystemActor("demo")
	r, err := s.CreateReseller(ctx, actor, api.Reseller{Login: demoReseller, Name: "Demo Dealer", CreditsMinor: 100 * api.CreditsScale,
		Packages: []api.ResellerPackage{{PackageID: basic, PriceCreditsMinor: 5 * api.CreditsScale}, {PackageID: premium, PriceCreditsMinor: 8 * api.CreditsScale}}}, hash)
	if err != nil {
		return "", err
	}
	rules := api.DefaultResellerRules(r.ID)
	rules.TrialsPerDay, rules.TrialsPerMonth, rules.TrialPackageID, rules.TrialHours = 3, 30, &basic, 24
	rules.MinLoginLength, rules.MinPasswordLength = 4, 8
	if _, err := s.SetResellerRules(ctx, actor, rules); err != nil {
		return "", err
	}
	dealer := api.Actor{Kind: api.KindReseller, ID: r.ID, Login: r.Login}
	for i, pkg := range []int64{basic, premium, premium} {
		line := fmt.Sprintf("dealer-line-%d", i+1)
		if _, err := s.CreateSubscriber(ctx, dealer, api.Subscriber{Login: line, Password: credential.NewPassword(12),
			Name: fmt.Sprintf("Customer %d", i+1), PackageIDs: []int64{pkg}}); err != nil {
			return "", err
		}
	}
	return password, nil
}
