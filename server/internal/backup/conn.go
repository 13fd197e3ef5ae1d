package backup

import (
	"net/url"
	"strings"
)

// connArgs turns Canale's connection string into one for a client program
// (pg_dump, psql). The password goes to the environment (PGPASSWORD), not to
// the command line, where every local user could read it in ps; pgx's own
// parameters, which libpq refuses, are dropped.
func connArgs(dsn string) (conninfo string, env []string) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return dsn, nil
		}
		q := u.Query()
		for k := range q {
			if pgxOnly(k) {
				q.Del(k)
			}
		}
		u.RawQuery = q.Encode()
		if pw, ok := u.User.Password(); ok {
			u.User = url.User(u.User.Username())
			env = []string{"PGPASSWORD=" + pw}
		}
		return u.String(), env
	}
	var kept []string
	for _, kv := range splitKeywords(dsn) {
		k, v, _ := strings.Cut(kv, "=")
		switch k = strings.TrimSpace(k); {
		case k == "password":
			env = append(env, "PGPASSWORD="+unquote(strings.TrimSpace(v)))
		case !pgxOnly(k):
			kept = append(kept, kv)
		}
	}
	return strings.Join(kept, " "), env
}

// pgxOnly reports whether a connection parameter is pgx's, not libpq's.
func pgxOnly(key string) bool {
	switch key {
	case "default_query_exec_mode", "statement_cache_capacity", "description_cache_capacity", "min_read_buffer_size":
		return true
	}
	return strings.HasPrefix(key, "pool_")
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
