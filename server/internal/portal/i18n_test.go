package portal

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// templateKey is a literal translated in a template: {{call $.T "…"}}.
var templateKey = regexp.MustCompile(`call \$?\.T\s+"((?:[^"\\]|\\.)*)"`)

// sourceKeys collects every English source text the portal translates:
// the literals of {{call $.T "…"}} in the templates and of T("…") / t("…")
// calls in the Go files, by where they are.
func sourceKeys(t *testing.T) map[string]string {
	t.Helper()
	keys := map[string]string{}
	err := fs.WalkDir(templateFS, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := templateFS.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range templateKey.FindAllStringSubmatch(string(b), -1) {
			k, err := strconv.Unquote(`"` + m[1] + `"`)
			if err != nil {
				t.Errorf("%s: key %q: %v", path, m[1], err)
			}
			keys[k] = path
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 || !isTranslate(call.Fun) {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				t.Errorf("%s: T is called with %T, not a string literal: a catalog cannot hold it", fset.Position(call.Pos()), call.Args[0])
				return true
			}
			k, _ := strconv.Unquote(lit.Value)
			keys[k] = fset.Position(call.Pos()).String()
			return true
		})
	}
	return keys
}

// isTranslate reports whether fun is pg.T, a field T, or a local t.
func isTranslate(fun ast.Expr) bool {
	switch f := fun.(type) {
	case *ast.SelectorExpr:
		return f.Sel.Name == "T"
	case *ast.Ident:
		return f.Name == "t"
	}
	return false
}

var verb = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)

// TestCatalogsTranslateEverything fails for a string shown to subscribers
// that some language's catalog lacks, and for a translation whose
// formatting verbs differ from its source's (it would print %!s(MISSING)).
func TestCatalogsTranslateEverything(t *testing.T) {
	keys := sourceKeys(t)
	if len(keys) < 50 {
		t.Fatalf("found only %d translated strings; is the scan broken?", len(keys))
	}
	for _, l := range langs[1:] {
		cat := translations[l.Code]
		for k, where := range keys {
			tr, ok := cat[k]
			switch {
			case !ok:
				t.Errorf("%s: catalog %s lacks %q", where, l.Code, k)
			case strings.TrimSpace(tr) == "":
				t.Errorf("catalog %s: empty translation of %q", l.Code, k)
			}
		}
		// Unused entries are only logged: the catalogs also carry the
		// strings of pages merged from other branches.
		for k, tr := range cat {
			if !slices.Equal(sortedVerbs(k), sortedVerbs(tr)) {
				t.Errorf("catalog %s: %q has verbs %v, its source %q has %v", l.Code, tr, verb.FindAllString(tr, -1), k, verb.FindAllString(k, -1))
			}
			if _, used := keys[k]; !used {
				t.Logf("catalog %s: %q is not used here", l.Code, k)
			}
		}
	}
}

func sortedVerbs(s string) []string {
	v := verb.FindAllString(s, -1)
	slices.Sort(v)
	return v
}

func TestPickLang(t *testing.T) {
	for _, tt := range []struct {
		param, cookie, accept, want string
	}{
		{"", "", "", "en"},
		{"", "", "ru-RU,ru;q=0.9,en;q=0.8", "ru"},
		{"", "", "es-419,es;q=0.9", "es"},
		{"", "", "ar-EG", "ar"},
		{"", "", "de-DE,de;q=0.9", "en"},               // nothing matches: English
		{"", "", "de-DE,es;q=0.5,en;q=0.2", "es"},      // the best the portal speaks
		{"", "", "en-GB,ru;q=0.9", "en"},               // the browser's first choice
		{"", "es", "ru-RU", "es"},                      // the switcher's cookie beats the browser
		{"ar", "es", "ru-RU", "ar"},                    // and a new pick beats the cookie
		{"xx", "zz", "ru", "ru"},                       // unknown picks are ignored
		{"", "", "*;q=0.5, not a tag, ar;q=0.9", "ar"}, // a malformed header still matches
	} {
		if got := pickLang(tt.param, tt.cookie, tt.accept).Code; got != tt.want {
			t.Errorf("pickLang(%q, %q, %q) = %s, want %s", tt.param, tt.cookie, tt.accept, got, tt.want)
		}
	}
}

func TestTranslatorFormatsAndFallsBack(t *testing.T) {
	ru, _ := langByCode("ru")
	if got := translator(ru)("Sign in"); got != translations["ru"]["Sign in"] || got == "Sign in" {
		t.Errorf("ru Sign in = %q", got)
	}
	if got := translator(langs[0])("Sign out %s", "alice"); got != "Sign out alice" {
		t.Errorf("en = %q", got)
	}
	if got := translator(ru)("not in any catalog %d", 3); got != "not in any catalog 3" {
		t.Errorf("fallback = %q", got)
	}
}

// TestPlayerName: the account page says api.PlayerName's words in the
// page's language.
func TestPlayerName(t *testing.T) {
	en := translator(langs[0])
	for ua, want := range map[string]string{
		"VLC/3.0.18 LibVLC/3.0.18 (X11; Linux x86_64)": "VLC 3.0 on Linux",
		"VLC/3.0.20 LibVLC/3.0.20":                     "VLC 3.0",
		"":                                             "Unknown player",
	} {
		if got := playerName(en, ua); got != want {
			t.Errorf("playerName(%q) = %q, want %q", ua, got, want)
		}
	}
	ru, _ := langByCode("ru")
	if got, want := playerName(translator(ru), "VLC/3.0.18 LibVLC/3.0.18 (X11; Linux x86_64)"), "VLC 3.0 в Linux"; got != want {
		t.Errorf("ru playerName = %q, want %q", got, want)
	}
}
