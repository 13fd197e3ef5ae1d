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

// importAddedTables are tables an import adds rows to without emptying
// them first (they are not the catalog): rows get explicit ids past the
// highest, so a dry run, which rolls back, leaves their sequence alone, and
// Commit advances the sequence past them.
var importAddedTables = []string{"epg_sources"}

// EPGSourceNames returns the EPG sources Canale already has, by lower-case
// name and by URL, so an import adds only the panel's new ones (EPG
// sources are not part of the catalog a replacing import empties). The
// table is locked against other writers until the import ends, so the ids
// EPGSources gives stay free.
func (ci *CatalogImport) EPGSourceNames(ctx context.Context) (byName map[string]int64, byURL map[string]int64, err error) {
	if _, err := ci.tx.Exec(ctx, `LOCK TABLE epg_sources IN EXCLUSIVE MODE`); err != nil {
		return nil, nil, fmt.Errorf("lock epg_sources: %w", err)
	}
	rows, err := ci.tx.Query(ctx, `SELECT id, lower(name), url FROM epg_sources`)
	if err != nil {
		return nil, nil, fmt.Errorf("read epg_sources: %w", err)
	}
	defer rows.Close()
	byName, byURL = map[string]int64{}, map[string]int64{}
	for rows.Next() {
		var id int64
		var name, url string
		if err := rows.Scan(&id, &name, &url); err != nil {
			return nil, nil, fmt.Errorf("read epg_sources: %w", err)
		}
		byName[name], byURL[url] = id, id
	}
	return byName, byURL, rows.Err()
}

// EPGSources adds EPG sources with ids after the highest (apps never name
// an XC EPG source, and channels find their guide by XMLTV id whatever the
// source), without touching the id sequence (see importAddedTables).
func (ci *CatalogImport) EPGSources(ctx context.Context, rows []api.EPGSource) error {
	var top int64
	if err := ci.tx.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM epg_sources`).Scan(&top); err != nil {
		return fmt.Errorf("read epg_sources: %w", err)
	}
	return ci.copy(ctx, "epg_sources", []string{"id", "name", "url", "enabled", "interval_hours", "days_keep"}, len(rows),
		func(i int) []any {
			r := rows[i]
			return []any{top + 1 + int64(i), r.Name, r.URL, r.Enabled, r.IntervalHours, r.DaysKeep}
		})
}
