package importxc_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"canale/server/internal/importxc"
	"canale/server/internal/testmariadb"
	"canale/server/internal/testserver"
	"canale/shared/api"
	"canale/shared/client"
)

// TestImportOffers imports what the panel sold, in both dialects: sale
// packages become packages holding their bouquets' content, sold by the
// resellers of their groups at their credits, trial packages and the
// groups' trial quotas and sub-reseller right become reseller rules. Then
// an imported reseller, with its XC password, renews its line and makes a
// trial through Canale's reseller API on day one.
func TestImportOffers(t *testing.T) {
	srv := testmariadb.Start(t)

	t.Run("xc", func(t *testing.T) {
		x := newXC(t, srv, "xc_offers", 0, 0)
		x.exec(t, `UPDATE member_groups SET total_allowed_gen_trials = 3, total_allowed_gen_in = 'day', create_sub_resellers = 1 WHERE group_id = 4`)
		x.exec(t, `UPDATE reg_users SET reseller_dns = 'tv.resa.example' WHERE id = 2`)
		x.exec(t, `UPDATE reg_users SET reseller_dns = 'not a host!', override_packages = '{"1":{"official_credits":3}}' WHERE id = 3`)
		x.exec(t, `UPDATE member_groups SET create_sub_resellers_price = 2 WHERE group_id = 4`)
		x.exec(t, `CREATE TABLE subreseller_setup (id int PRIMARY KEY, reseller int, subreseller int, status tinyint)`)
		x.exec(t, `INSERT INTO subreseller_setup VALUES (1, 4, 4, 1)`)
		x.exec(t, `INSERT INTO packages (id, package_name, is_trial, is_official, trial_credits, official_credits, trial_duration,
			trial_duration_in, official_duration, official_duration_in, `+"`groups`"+`, bouquets, output_formats) VALUES
			(2, 'Trial Only', 1, 0, 1, 0, 2, 'days', 0, 'months', '[4]', '[2]', '[]'),
			(3, 'Nothing', 0, 0, 0, 0, 0, '', 0, '', '[4]', '[1]', '[]'),
			(4, 'Basic', 0, 1, 0, 25.5, 0, '', 1, 'years', '[4,"2"]', '["1"]', '[]'),
			(6, 'Ghost', 0, 1, 0, 1, 1, 'months', 0, '', '[4]', '[99]', '[]')`)
		c := newCanale(t)
		dry := run(t, x, c, importxc.Options{DryRun: true})
		rep := run(t, x, c, importxc.Options{})
		out := reportText(t, rep)
		for _, r := range []*importxc.Report{dry, rep} {
			expectImported(t, r, map[string]int{"offers": 3, "reseller_packages": 12, "reseller_rules": 6})
			expectSkips(t, r, map[string]string{
				"packages 3": "neither trial nor official",
				"packages 6": "none of its bouquets was imported",
			})
		}
		for _, want := range []string{`sale package 4 imported as package 8 named "Basic (3)"`,
			`reseller 3: reseller_dns "not a host!"`, "its trial cost 1.00 credits",
			"1 resellers have per-package prices of their own (override_packages)",
			"6 resellers' groups charged credits to create a sub-reseller", "subreseller_setup: 1 rows"} {
			if !strings.Contains(out, want) {
				t.Errorf("report lacks %q", want)
			}
		}
		c.expect(t, map[string]string{
			// Offer ids follow the bouquets' (1–4): offer N is package 4+N.
			"SELECT string_agg(id || '|' || name || '|' || period_days, ',' ORDER BY id) FROM packages WHERE id > 4":                                                                 "5|Monthly|30,6|Trial Only|2,8|Basic (3)|365",
			"SELECT string_agg(channel_id::text, ',' ORDER BY position) FROM package_channels WHERE package_id = 5":                                                                  "10,11,12,14,40",
			"SELECT string_agg(vod_id::text, ',') FROM package_vod WHERE package_id = 5":                                                                                             "20",
			"SELECT string_agg(series_id::text, ',') FROM package_series WHERE package_id = 5":                                                                                       "2",
			"SELECT string_agg(channel_id::text, ',' ORDER BY position) FROM package_channels WHERE package_id = 6":                                                                  "10,14,40",
			"SELECT string_agg(reseller_id || ':' || package_id || ':' || price_credits, ',' ORDER BY reseller_id, package_id) FROM reseller_packages WHERE reseller_id IN (2, 3)":   "2:5:10.00,2:8:25.50,3:5:10.00,3:8:25.50",
			"SELECT count(*) FROM reseller_packages WHERE package_id = 6":                                                                                                            "0",
			"SELECT concat_ws('|', trials_per_day, trials_per_month, trial_package_id, trial_hours, may_create_resellers, max_depth, dns) FROM reseller_rules WHERE reseller_id = 2": "3|93|5|24|t|1|tv.resa.example",
			"SELECT dns FROM reseller_rules WHERE reseller_id = 3":                                                                                                                   "",
			"SELECT count(*) FROM reseller_rules WHERE reseller_id = 4":                                                                                                              "0", // the banned group's user sells nothing
		})

		// Day one: resA renews alice (its line) with the imported offer and
		// makes a trial, through the reseller API.
		s := testserver.StartOn(t, c.dsn)
		ctx := context.Background()
		cl := client.New(s.URL, http.DefaultClient)
		if _, err := cl.LoginReseller(ctx, "resA", "resApass"); err != nil {
			t.Fatalf("imported reseller signs in with its XC password: %v", err)
		}
		before := c.value(t, "SELECT expires_at FROM subscribers WHERE id = 1")
		if _, err := cl.ExtendSubscriber(ctx, 1, api.ExtendRequest{PackageID: 5}); err != nil {
			t.Fatalf("resA renews alice with offer package 5: %v", err)
		}
		c.expect(t, map[string]string{
			"SELECT credits FROM resellers WHERE id = 2":                                              "140.50",
			"SELECT (expires_at - '" + before + "'::timestamptz)::text FROM subscribers WHERE id = 1": "30 days",
		})
		trial, err := cl.CreateTrial(ctx, api.TrialRequest{Login: "trial-one", Password: "trial-pass"})
		if err != nil {
			t.Fatalf("resA makes a trial: %v", err)
		}
		if len(trial.PackageIDs) != 1 || trial.PackageIDs[0] != 5 || trial.ExpiresAt == nil ||
			time.Until(*trial.ExpiresAt) < 23*time.Hour || time.Until(*trial.ExpiresAt) > 25*time.Hour {
			t.Errorf("trial: packages %v, expires %v; want package 5 for 24 hours", trial.PackageIDs, trial.ExpiresAt)
		}
	})

	t.Run("xui", func(t *testing.T) {
		x := newXUI(t, srv, "xui_offers")
		// XUI.one's columns of sale packages and groups (xtream.md §2.2).
		x.exec(t, `ALTER TABLE users_packages ADD COLUMN is_trial tinyint DEFAULT 0, ADD COLUMN is_official tinyint DEFAULT 0,
			ADD COLUMN trial_credits float DEFAULT 0, ADD COLUMN trial_duration int DEFAULT 0, ADD COLUMN trial_duration_in varchar(32) DEFAULT '',
			ADD COLUMN official_duration int DEFAULT 0, ADD COLUMN official_duration_in varchar(32) DEFAULT '', ADD COLUMN `+"`groups`"+` text`)
		x.exec(t, `ALTER TABLE users_groups ADD COLUMN total_allowed_gen_trials int DEFAULT 0, ADD COLUMN total_allowed_gen_in varchar(32) DEFAULT '',
			ADD COLUMN create_sub_resellers tinyint DEFAULT 0, ADD COLUMN minimum_username_length int DEFAULT 0,
			ADD COLUMN minimum_password_length int DEFAULT 0, ADD COLUMN allow_change_bouquets tinyint DEFAULT 0`)
		x.exec(t, `UPDATE users_packages SET is_trial = 1, is_official = 1, trial_duration = 12, trial_duration_in = 'hours',
			official_duration = 3, official_duration_in = 'months', `+"`groups`"+` = '["2"]' WHERE id = 1`)
		x.exec(t, `UPDATE users_groups SET total_allowed_gen_trials = 10, total_allowed_gen_in = 'month', minimum_username_length = 6,
			minimum_password_length = 8 WHERE group_id = 2`)
		c := newCanale(t)
		rep := run(t, x, c, importxc.Options{})
		expectImported(t, rep, map[string]int{"offers": 1, "reseller_packages": 2, "reseller_rules": 2})
		c.expect(t, map[string]string{
			"SELECT id || '|' || name || '|' || period_days FROM packages WHERE id = 8":                                                                                                                      "8|Month|90",
			"SELECT string_agg(reseller_id || ':' || package_id || ':' || price_credits, ',' ORDER BY reseller_id) FROM reseller_packages":                                                                   "9:8:5.00,10:8:5.00",
			"SELECT concat_ws('|', trials_per_day, trials_per_month, trial_package_id, trial_hours, may_create_resellers, min_login_length, min_password_length) FROM reseller_rules WHERE reseller_id = 10": "10|10|8|12|f|6|8",
			// lines.package_id is the sale package the line was sold with:
			// its package comes with the line (xuiline, offer 1), so the
			// reseller renews it; a line with none keeps its bouquets only.
			"SELECT string_agg(package_id::text, ',' ORDER BY package_id) FROM subscriber_packages WHERE subscriber_id = 500": "7,8",
			"SELECT string_agg(package_id::text, ',' ORDER BY package_id) FROM subscriber_packages WHERE subscriber_id = 501": "7",
		})
	})

	t.Run("xui offer not imported", func(t *testing.T) {
		x := newXUI(t, srv, "xui_offer_missing")
		x.exec(t, "UPDATE `lines` SET package_id = 42 WHERE id = 501")
		c := newCanale(t)
		rep := run(t, x, c, importxc.Options{})
		c.expect(t, map[string]string{
			"SELECT string_agg(package_id::text, ',' ORDER BY package_id) FROM subscriber_packages WHERE subscriber_id = 501": "7",
		})
		if !slices.ContainsFunc(rep.Notes, func(n string) bool {
			return strings.Contains(n, "1 lines name a sale package (package_id) that was not imported")
		}) {
			t.Errorf("report notes %q: want the line whose sale package 42 does not exist", rep.Notes)
		}
	})
}
