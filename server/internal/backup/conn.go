package backup

import (
	"net/url"
	"strings"
)

// connArgs splits a connection string for a client program: the password
// goes to the environment (PGPASSWORD), not to the command line, where every
// local user could read it in ps.
func connArgs(dsn string) (conninfo string, env []string) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil || u.User == nil {
			return dsn, nil
		}
		pw, ok := u.User.Password()
		if !ok {
			return dsn, nil
		}
		u.User = url.User(u.User.Username())
		return u.String(), []string{"PGPASSWORD=" + pw}
	}
	var kept []string
	for _, kv := range splitKeywords(dsn) {
		if k, v, _ := strings.Cut(kv, "="); strings.TrimSpace(k) == "password" {
			env = append(env, "PGPASSWORD="+unquote(strings.TrimSpace(v)))
			continue
		}
		kept = append(kept, kv)
	}
	return strings.Join(kept, " "), env
}

// splitKeywords splits "key=value key='quoted value'" at the spaces outside
// quotes, keeping each pair as written.
func splitKeywords(s string) []string {
	var out []string
	var cur strings.Builder
	quoted, escaped := false, false
	for _, r := range s {
		switch {
		case escaped:
			escaped = false
		case r == '\\':
			escaped = true
		case r == '\'':
			quoted = !quoted
		case r == ' ' && !quoted:
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
			continue
		}
		cur.WriteRune(r)
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

func unquote(v string) string {
	if len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'' {
		v = v[1 : len(v)-1]
	}
	return strings.NewReplacer(`\'`, `'`, `\\`, `\`).Replace(v)
}
