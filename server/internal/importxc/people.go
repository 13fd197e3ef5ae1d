package importxc

import (
	"context"
	"encoding/json"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"canale/server/internal/credential"
	"canale/server/internal/store"
	"canale/shared/api"
)

// resetRequired is stored as the password hash of a reseller whose XC
// password is not a SHA-512 crypt hash: it matches no password (it is not a
// hash VerifyPassword accepts), so the reseller cannot sign in until an
// administrator sets a new password.
const resetRequired = "!reset-required"

// creditsMinor turns XC's float credits (the panel keeps them in a float
// column) into Canale's minor units, rounded to the cent once, here at the
// boundary; beyond api.MaxCreditsMinor, which a float column can exceed,
// it is capped and ok is false.
func creditsMinor(credits float64) (minor int64, ok bool) {
	cents := math.Round(credits * api.CreditsScale)
	if cents > float64(api.MaxCreditsMinor) {
		return api.MaxCreditsMinor, false
	}
	return int64(cents), true
}

// importPanelUsers maps XC panel users (reg_users / XUI users) to resellers,
// keeping ids, the owner_id tree and credits. Administrators are not
// imported: Canale's staff accounts are made with `canale setup init`.
func (im *importer) importPanelUsers(ctx context.Context) error {
	groups, err := im.src.read(ctx, im.src.names.groups, "group_id")
	if err != nil {
		return err
	}
	admin, banned := map[int64]bool{}, map[int64]bool{}
	im.groups, im.resellerRows = map[int64]row{}, map[int64]row{}
	for _, g := range groups {
		admin[g.int("group_id")] = g.bool("is_admin")
		banned[g.int("group_id")] = g.bool("is_banned")
		im.groups[g.int("group_id")] = g
	}
	table := im.src.names.panelUsers
	rows, err := im.src.read(ctx, table, "id")
	if err != nil {
		return err
	}
	im.resellers = map[int64]bool{}
	logins := map[string]int64{}
	var out []store.ImportReseller
	parents := map[int64]int64{}
	needReset := 0
	for _, r := range rows {
		id, login, group := r.int("id"), r.str("username"), r.int("member_group_id")
		switch {
		case id <= 0 || login == "":
			im.rep.skip(table, id, "no id or no username")
			continue
		case admin[group]:
			im.rep.skip(table, id, "panel administrator: create Canale administrators with `canale setup init`")
			continue
		case logins[strings.ToLower(login)] != 0:
			im.rep.skip(table, id, "login "+strconv.Quote(login)+" already taken (case-insensitive) by panel user "+
				strconv.FormatInt(logins[strings.ToLower(login)], 10))
			continue
		}
		logins[strings.ToLower(login)] = id
		hash := r.str("password")
		if !credential.IsSHA512Crypt(hash) {
			hash = resetRequired
			needReset++
		}
		status := "active"
		if r.has("status") && r.int("status") != 1 || banned[group] {
			status = "disabled"
		}
		credits := r.float("credits")
		minor, ok := creditsMinor(credits)
		if !ok {
			im.rep.note("reseller %d had %.2f credits, more than Canale holds (%s); set to that", id, credits,
				api.FormatCredits(api.MaxCreditsMinor))
		}
		if minor < 0 {
			im.rep.note("reseller %d had %.2f credits; Canale keeps credits at or above 0, set to 0", id, credits)
			minor = 0
		}
		created, _ := r.unixTime("date_registered")
		im.resellers[id] = true
		im.resellerRows[id] = r
		if owner := r.int("owner_id"); owner > 0 && owner != id {
			parents[id] = owner
		}
		out = append(out, store.ImportReseller{ID: id, Login: login, PasswordHash: hash, Contact: r.str("email"),
			CreditsMinor: minor, Status: status, Notes: r.str("notes"), CreatedAt: created})
	}
	im.assignParents(out, parents)
	if needReset > 0 {
		im.rep.note("%d resellers had no SHA-512 crypt password hash and need a password reset before they can sign in", needReset)
	}
	im.rep.Imported["resellers"] = len(out)
	return im.ci.Resellers(ctx, out)
}

// assignParents sets each reseller's parent to its owner when the owner was
// imported. XC does not prevent owner loops; a link that would close one is
// cut (the reseller with the higher id becomes a root), keeping a tree.
func (im *importer) assignParents(out []store.ImportReseller, owners map[int64]int64) {
	parent := map[int64]int64{}
	for i := range out {
		id := out[i].ID
		p, ok := owners[id]
		if !ok || !im.resellers[p] {
			continue
		}
		loops := false
		for cur, steps := p, 0; steps <= len(out); steps++ {
			if cur == id {
				loops = true
				break
			}
			next, ok := parent[cur]
			if !ok {
				break
			}
			cur = next
		}
		if loops {
			im.rep.note("reseller %d: owner %d would close an owner loop; imported without a parent", id, p)
			continue
		}
		parent[id] = p
		out[i].ParentID = &p
	}
}

// outputNames are XC's access_output rows (spec §2.1).
var outputNames = map[int64]string{1: "m3u8", 2: "ts", 3: "rtmp"}

// lineAttributes are line columns with no Canale column, kept in
// subscribers.attributes under their XC names. Flags become booleans.
var (
	lineFlags = []string{"is_restreamer", "is_mag", "is_e2", "is_stalker", "is_isplock", "bypass_ua"}
	lineTexts = []string{"forced_country", "force_server_id", "as_number", "isp_desc", "pair_id",
		"created_by", "package_id", "last_ip"}
)

// importLines maps lines to subscribers: ids, usernames and passwords kept
// (the password hashed with argon2id), play token reused when strong enough.
func (im *importer) importLines(ctx context.Context) error {
	table := im.src.names.lines
	rows, err := im.src.read(ctx, table, "id")
	if err != nil {
		return err
	}
	outputs, err := im.readOutputs(ctx)
	if err != nil {
		return err
	}
	logins := map[string]int64{}
	tokens := map[string]bool{}
	var out []store.ImportSubscriber
	var passwords []string
	links := 0
	for _, r := range rows {
		id, login := r.int("id"), rawText(r, "username")
		switch {
		case id <= 0 || strings.TrimSpace(login) == "":
			im.rep.skip(table, id, "no id or no username")
			continue
		case logins[strings.ToLower(login)] != 0:
			im.rep.skip(table, id, "username "+strconv.Quote(login)+" already taken (case-insensitive) by line "+
				strconv.FormatInt(logins[strings.ToLower(login)], 10))
			continue
		}
		logins[strings.ToLower(login)] = id
		s := im.subscriber(r, id, login, outputs[id])
		if tokens[s.Token] {
			s.Token = credential.NewPlaybackToken()
		}
		tokens[s.Token] = true
		links += len(s.PackageIDs)
		out = append(out, s)
		passwords = append(passwords, rawText(r, "password"))
	}
	im.noteLineRules()
	im.noteLineOffers()
	if err := im.attachEnigma2(ctx, out); err != nil {
		return err
	}
	if im.opts.DryRun {
		for i := range out {
			out[i].PasswordHash = "!dry-run"
		}
	} else {
		hashes, err := hashAll(ctx, passwords, im.opts.Workers, im.opts.Progress)
		if err != nil {
			return err
		}
		for i := range out {
			out[i].PasswordHash = hashes[i]
		}
	}
	im.subscribers = make(map[int64]bool, len(out))
	for _, s := range out {
		im.subscribers[s.ID] = true
	}
	im.rep.Imported["subscribers"] = len(out)
	im.rep.Imported["subscriber_packages"] = links
	return im.ci.Subscribers(ctx, out)
}

// rawText is a line's username or password exactly as stored (only NUL
// bytes and invalid UTF-8 cannot survive), untrimmed: apps saved it
// verbatim, trailing space included, and send it back that way.
func rawText(r row, col string) string {
	if s, ok := r[col].(string); ok {
		return strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", ""), "\uFFFD")
	}
	return r.str(col)
}

// readOutputs reads XC's user_output (line → allowed output formats).
func (im *importer) readOutputs(ctx context.Context) (map[int64][]string, error) {
	out := map[int64][]string{}
	if im.src.names.lineOutput == "" {
		return out, nil
	}
	rows, err := im.src.read(ctx, im.src.names.lineOutput, "user_id")
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		if name, ok := outputNames[r.int("access_output_id")]; ok {
			out[r.int("user_id")] = append(out[r.int("user_id")], name)
		}
	}
	return out, nil
}

func (im *importer) subscriber(r row, id int64, login string, outputs []string) store.ImportSubscriber {
	status := "active"
	switch {
	case r.has("admin_enabled") && !r.bool("admin_enabled"):
		status = "banned"
	case r.has("enabled") && !r.bool("enabled"):
		status = "disabled"
	}
	s := store.ImportSubscriber{ID: id, Login: login, Contact: r.str("contact"), Status: status,
		MaxSessions: int(max(min(r.int("max_connections"), 1<<20), 0)), AllowedIPs: im.allowedIPs(r, id),
		AllowedUserAgents: exactUserAgents(r.strs("allowed_ua")), Notes: lineNotes(r), Trial: r.bool("is_trial")}
	if t, ok := r.unixTime("exp_date"); ok {
		s.ExpiresAt = &t
	} else if expiredWithoutDate(r, "exp_date") {
		epoch := time.Unix(0, 0).UTC()
		s.ExpiresAt = &epoch
		im.expiredAtZero++
	}
	if len(s.AllowedIPs) == 0 && len(r.strs("allowed_ips")) > 0 {
		// Every rule was a host that did not resolve: lock the line
		// rather than open it to every address, and say so.
		s.Status = "disabled"
		im.lockedOut = append(im.lockedOut, id)
	}
	s.CreatedAt, _ = r.unixTime("created_at")
	if m := r.int("member_id"); im.resellers[m] {
		s.ResellerID = &m
	}
	for _, b := range r.ids("bouquet") {
		if im.packages[b] {
			s.PackageIDs = append(s.PackageIDs, b)
		}
	}
	if pkg, ok := im.offerPackage(r); ok {
		s.PackageIDs = append(s.PackageIDs, pkg)
	}
	s.Token = reusableToken(r.str("play_token"))
	if s.Token == "" {
		s.Token = reusableToken(r.str("access_token"))
	}
	if s.Token == "" {
		s.Token = credential.NewPlaybackToken()
	}
	s.Attributes = lineAttributes(r, outputs)
	return s
}

func lineNotes(r row) string {
	var parts []string
	if n := r.str("admin_notes"); n != "" {
		parts = append(parts, n)
	}
	if n := r.str("reseller_notes"); n != "" {
		parts = append(parts, "Reseller notes: "+n)
	}
	return strings.Join(parts, "\n")
}

func lineAttributes(r row, outputs []string) []byte {
	a := map[string]any{"xc_id": r.int("id")}
	for _, c := range lineFlags {
		if r.bool(c) {
			a[c] = true
		}
	}
	for _, c := range lineTexts {
		if v := r.str(c); v != "" && v != "0" {
			a[c] = v
		}
	}
	if r.has("allowed_outputs") {
		for _, o := range r.ids("allowed_outputs") {
			if name, ok := outputNames[o]; ok {
				outputs = append(outputs, name)
			}
		}
	}
	if len(outputs) > 0 {
		a["allowed_outputs"] = outputs
	}
	if t, ok := r.unixTime("last_activity"); ok {
		a["last_activity"] = t.Format(time.RFC3339)
	}
	b, _ := json.Marshal(a)
	return b
}

var (
	hexToken    = regexp.MustCompile(`^[0-9a-fA-F]{32,128}$`)
	base64Token = regexp.MustCompile(`^[A-Za-z0-9_-]{22,128}$`)
)

// reusableToken returns an XC play/access token when it can serve as a
// Canale playback token: URL-safe and at least 128 bits (32 hex digits, or
// 22 characters of a 64-letter alphabet). Anything weaker gets a new one.
func reusableToken(t string) string {
	if hexToken.MatchString(t) {
		return strings.ToLower(t)
	}
	if base64Token.MatchString(t) && !isDigits(t) {
		return t
	}
	return ""
}

func isDigits(s string) bool {
	return strings.Trim(s, "0123456789") == ""
}
