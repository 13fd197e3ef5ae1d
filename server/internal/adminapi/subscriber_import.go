package adminapi

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"canale/server/internal/credential"
	"canale/server/internal/pace"
	"canale/server/internal/store"
	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// maxImportBytes bounds an import body: 100,000 lines are about 10 MB.
const maxImportBytes = 256 << 20

// importColumns are the CSV columns with a meaning; any other column is
// kept in the subscriber's attributes under its header name.
var importColumns = map[string]bool{"login": true, "password": true, "name": true, "contact": true, "status": true,
	"expires_at": true, "max_sessions": true, "packages": true, "notes": true, "allowed_ips": true, "trial": true}

// handleSubscriberImport answers POST /subscribers/import?strict=&dry_run=
// with an api.ImportReport. The body is CSV with a header row; login and
// password are required columns. A password is either plaintext, hashed
// here on every core with the import parameters of credential (weaker than
// sign-in's, flagged for rehash), or an argon2id PHC hash kept as it is.
func (a *API) handleSubscriberImport(c *gin.Context) {
	strict, dry := c.Query("strict") == "true" || c.Query("strict") == "1", c.Query("dry_run") == "true" || c.Query("dry_run") == "1"
	start := time.Now()
	rows, parseErrs, err := parseImport(c.Request.Context(), c.Request.Body) // bounded by the route to maxImportBytes
	if err != nil {
		a.writeError(c, err)
		return
	}
	a.Logger.InfoContext(c.Request.Context(), "subscriber import: parsed", "rows", len(rows), "errors", len(parseErrs))
	hashed, err := a.hashImportPasswords(c, rows)
	if err != nil {
		a.writeError(c, err)
		return
	}
	rep, err := a.Subscribers.ImportSubscribers(c.Request.Context(), currentActor(c), rows,
		store.ImportOptions{Strict: strict, DryRun: dry, ParseErrors: parseErrs, Logger: a.Logger})
	if err != nil {
		a.writeError(c, err)
		return
	}
	rep.Hashed = hashed
	a.Logger.InfoContext(c.Request.Context(), "subscriber import: done", "created", rep.Created,
		"errors", len(rep.Errors), "skipped", len(rep.Skipped), "elapsed", time.Since(start).String())
	a.render(c, http.StatusOK, rep)
}

func (a *API) hashImportPasswords(c *gin.Context, rows []store.ImportRow) (int, error) {
	pw := make([]string, len(rows))
	for i, r := range rows {
		pw[i] = r.PasswordHash
	}
	hashes, n, err := credential.HashAllForImport(c.Request.Context(), pw, 0, func(done int) {
		if done%10000 == 0 {
			a.Logger.InfoContext(c.Request.Context(), "subscriber import: hashing passwords", "done", done, "of", len(rows))
		}
	})
	if err != nil {
		return 0, err
	}
	for i := range rows {
		rows[i].PasswordHash = hashes[i]
	}
	return n, nil
}

// parseImport reads the CSV. Lines that cannot be parsed become import
// errors; a file with no usable header is a CodeInvalid error. It is
// paced (package pace) line by line: a hundred thousand lines are a few
// hundred milliseconds of a CPU and their garbage, which play checks share.
func parseImport(ctx context.Context, r io.Reader) ([]store.ImportRow, []api.ImportLine, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if tooBig := bodyTooLarge(err); tooBig != nil {
		return nil, nil, tooBig
	}
	if err != nil {
		return nil, nil, &api.Error{Code: api.CodeInvalid, Message: "empty or unreadable CSV", Fields: map[string]string{"file": "needs a header row"}}
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	if _, ok := col["login"]; !ok {
		return nil, nil, &api.Error{Code: api.CodeInvalid, Message: "missing column", Fields: map[string]string{"login": "column required"}}
	}
	if _, ok := col["password"]; !ok {
		return nil, nil, &api.Error{Code: api.CodeInvalid, Message: "missing column", Fields: map[string]string{"password": "column required"}}
	}
	var rows []store.ImportRow
	var bad []api.ImportLine
	p := pace.New(pace.DefaultShare)
	for line := 2; ; line++ {
		if err := p.Step(ctx); err != nil {
			return nil, nil, err
		}
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if err != nil && !errors.As(err, &pe) {
			// The body itself failed (too large, cut, gone): importing what
			// came so far would pass a truncated file off as a whole one.
			if tooBig := bodyTooLarge(err); tooBig != nil {
				return nil, nil, tooBig
			}
			return nil, nil, api.Errorf(api.CodeInvalid, "read CSV at line %d: %v", line, err)
		}
		if err != nil {
			bad = append(bad, api.ImportLine{Line: line, Reason: err.Error()})
			continue
		}
		row, err := parseImportLine(line, header, col, rec)
		if err != nil {
			bad = append(bad, api.ImportLine{Line: line, Reason: err.Error()})
			continue
		}
		rows = append(rows, row)
	}
	return rows, bad, nil
}

func parseImportLine(line int, header []string, col map[string]int, rec []string) (store.ImportRow, error) {
	get := func(name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	r := store.ImportRow{Line: line, Login: get("login"), PasswordHash: get("password"), Name: get("name"),
		Contact: get("contact"), Status: get("status"), Notes: get("notes"), MaxSessions: 1}
	if r.Status == "" {
		r.Status = api.StatusActive
	}
	f := api.FieldErrors{}
	sub := api.Subscriber{Login: r.Login, Password: r.PasswordHash, Status: r.Status, AllowedIPs: splitList(get("allowed_ips"))}
	if err := sub.Validate(); err != nil {
		for k, v := range err.(*api.Error).Fields {
			f.Add(k, v)
		}
	}
	r.AllowedIPs, r.Packages = sub.AllowedIPs, splitList(get("packages"))
	if v := get("expires_at"); v != "" {
		t, err := parseImportTime(v)
		if err != nil {
			f.Add("expires_at", "not a date (RFC 3339, YYYY-MM-DD or unix seconds): "+v)
		}
		r.ExpiresAt = t
	}
	if v := get("max_sessions"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			f.Add("max_sessions", "not a non-negative integer: "+v)
		}
		r.MaxSessions = n
	}
	r.Trial = get("trial") == "1" || strings.EqualFold(get("trial"), "true")
	r.Attributes = extraAttributes(header, rec)
	if err := f.Err(); err != nil {
		return r, err
	}
	return r, nil
}

func splitList(v string) []string {
	var out []string
	for _, p := range strings.Split(v, "|") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// parseImportTime accepts what panels export: RFC 3339, a date, or unix
// seconds (XC's exp_date).
func parseImportTime(v string) (*time.Time, error) {
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		t := time.Unix(n, 0).UTC()
		return &t, nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return &t, nil
		}
	}
	return nil, fmt.Errorf("bad time %q", v)
}

func extraAttributes(header, rec []string) json.RawMessage {
	m := map[string]string{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if !importColumns[h] && h != "" && i < len(rec) && rec[i] != "" {
			m[h] = rec[i]
		}
	}
	if len(m) == 0 {
		return nil
	}
	b, _ := json.Marshal(m)
	return b
}
