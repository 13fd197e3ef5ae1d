package store

import (
	"context"
	"encoding/json"
	"fmt"

	"canale/shared/api"
)

// VODStorages returns the vod_storages setting as the import's transaction
// sees it, so local files of the source panel can be mapped to storage
// paths. A value that does not parse counts as none, as in lockSettings.
func (ci *CatalogImport) VODStorages(ctx context.Context) ([]api.VODStorage, error) {
	var raw []byte
	err := ci.tx.QueryRow(ctx, `SELECT coalesce((SELECT data->'vod_storages' FROM settings WHERE id = 1), '[]')::text`).Scan(&raw)
	if err != nil {
		return nil, fmt.Errorf("read vod_storages: %w", err)
	}
	var out []api.VODStorage
	if json.Unmarshal(raw, &out) != nil {
		return nil, nil
	}
	return out, nil
}

// ImportResellerPackage is a package a reseller sells, at a price in
// credits (a panel's sale package offered to the reseller's group).
type ImportResellerPackage struct {
	ResellerID   int64
	PackageID    int64
	PriceCredits float64
}

// ResellerPackages loads what each reseller sells. Resellers and packages
// must be loaded first.
func (ci *CatalogImport) ResellerPackages(ctx context.Context, rows []ImportResellerPackage) error {
	return ci.copy(ctx, "reseller_packages", []string{"reseller_id", "package_id", "price_credits"}, len(rows),
		func(i int) []any {
			r := rows[i]
			return []any{r.ResellerID, r.PackageID, round2(r.PriceCredits)}
		})
}

// ResellerRules loads the resellers' rules (trials, sub-resellers, login
// lengths, DNS); each must pass api.ResellerRules.Validate.
func (ci *CatalogImport) ResellerRules(ctx context.Context, rows []api.ResellerRules) error {
	return ci.copy(ctx, "reseller_rules", []string{"reseller_id", "trials_per_day", "trials_per_month", "trial_package_id",
		"trial_hours", "may_create_resellers", "max_depth", "min_login_length", "min_password_length",
		"may_kill_connections", "dns", "refund_unused_on_delete"}, len(rows),
		func(i int) []any {
			r := rows[i]
			return []any{r.ResellerID, r.TrialsPerDay, r.TrialsPerMonth, r.TrialPackageID, r.TrialHours,
				r.MayCreateResellers, r.MaxDepth, r.MinLoginLength, r.MinPasswordLength, r.MayKillConnections,
				r.DNS, r.RefundUnusedOnDelete}
		})
}
