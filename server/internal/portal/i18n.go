package portal

import (
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/gin-gonic/gin"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// The portal's strings are English source text: templates write
// {{call $.T "Sign in"}} and handlers pg.T("Sign in"). The English text is
// the key of every catalog (i18n/<code>.json, one object of key to
// translation), so a page reads well in English with no catalog at all, and
// a test checks that every key in the code has a translation in every
// catalog. golang.org/x/text/message formats the arguments for the
// language (digit grouping) and falls back to the source text.

//go:embed i18n/*.json
var catalogFS embed.FS

// Lang is a language the portal speaks.
type Lang struct {
	Code string // BCP 47, for <html lang> and the switcher
	Name string // in the language itself, for the switcher
	Dir  string // "ltr" or "rtl", for <html dir>
	// Date is the Go layout of a date as the language writes it, for text
	// the server renders (times in tables are localised by the browser).
	Date string
	tag  language.Tag
}

// langs are the portal's languages; English, the source text, comes first
// and is the default when nothing the browser asks for matches.
var langs = []Lang{
	{Code: "en", Name: "English", Dir: "ltr", Date: "2 January 2006", tag: language.English},
	{Code: "ru", Name: "Русский", Dir: "ltr", Date: "02.01.2006", tag: language.Russian},
	{Code: "es", Name: "Español", Dir: "ltr", Date: "02/01/2006", tag: language.Spanish},
	{Code: "ar", Name: "العربية", Dir: "rtl", Date: "2006/01/02", tag: language.Arabic},
}

var langMatcher = language.NewMatcher(func() []language.Tag {
	tags := make([]language.Tag, len(langs))
	for i, l := range langs {
		tags[i] = l.tag
	}
	return tags
}())

// langCookie remembers the language picked with the switcher.
const (
	langCookie = "canale_lang"
	langParam  = "lang"
	ctxLang    = "portal.lang"
)

// translations are the parsed catalogs, by language code; English has none.
var translations, messages = mustLoadCatalogs()

// mustLoadCatalogs reads the embedded catalogs. A catalog that does not
// parse is a build mistake the tests catch, so it panics at start.
func mustLoadCatalogs() (map[string]map[string]string, catalog.Catalog) {
	b := catalog.NewBuilder(catalog.Fallback(language.English))
	all := map[string]map[string]string{}
	for _, l := range langs[1:] {
		raw, err := catalogFS.ReadFile(path.Join("i18n", l.Code+".json"))
		if err != nil {
			panic(fmt.Sprintf("portal: catalog %s: %v", l.Code, err))
		}
		m := map[string]string{}
		if err := json.Unmarshal(raw, &m); err != nil {
			panic(fmt.Sprintf("portal: catalog %s: %v", l.Code, err))
		}
		for key, text := range m {
			if err := b.SetString(l.tag, key, text); err != nil {
				panic(fmt.Sprintf("portal: catalog %s: key %q: %v", l.Code, key, err))
			}
		}
		all[l.Code] = m
	}
	return all, b
}

// langByCode returns the language with code, or false.
func langByCode(code string) (Lang, bool) {
	for _, l := range langs {
		if strings.EqualFold(l.Code, code) {
			return l, true
		}
	}
	return Lang{}, false
}

// pickLang chooses the page language: the one picked with the switcher (the
// query parameter of this request, else the cookie), else the best match of
// the browser's Accept-Language, else English.
func pickLang(param, cookie, acceptLanguage string) Lang {
	if l, ok := langByCode(param); ok {
		return l
	}
	if l, ok := langByCode(cookie); ok {
		return l
	}
	_, i := language.MatchStrings(langMatcher, wellFormed(acceptLanguage))
	return langs[i]
}

// wellFormed drops the entries of an Accept-Language header that do not
// parse, which would otherwise make the whole header count as empty.
func wellFormed(accept string) string {
	parts := strings.Split(accept, ",")
	kept := parts[:0]
	for _, part := range parts {
		if _, _, err := language.ParseAcceptLanguage(part); err == nil && strings.TrimSpace(part) != "" {
			kept = append(kept, part)
		}
	}
	return strings.Join(kept, ",")
}

// negotiateLang is the middleware of setLang.
func negotiateLang(c *gin.Context) {
	setLang(c)
	c.Next()
}

// setLang picks the request's language and, when the switcher picked one
// (?lang=), remembers it for a year.
func setLang(c *gin.Context) {
	cookie, _ := c.Cookie(langCookie)
	param := c.Query(langParam)
	l := pickLang(param, cookie, c.GetHeader("Accept-Language"))
	if _, ok := langByCode(param); ok {
		cookies.Set(c.Writer, c.Request, langCookie, l.Code, 365*24*3600)
	}
	c.Header("Content-Language", l.Code)
	c.Header("Vary", "Accept-Language, Cookie")
	c.Set(ctxLang, l)
}

// langOf is the language negotiateLang picked, or English for a handler
// that runs without it.
func langOf(c *gin.Context) Lang {
	if v, ok := c.Get(ctxLang); ok {
		return v.(Lang)
	}
	return langs[0]
}

// langLink is one entry of the language switcher.
type langLink struct {
	Lang
	Href string
}

// switcher links every language to this page in it: the request's query
// with lang set, relative, so the search or page the subscriber is on
// stays and the link cannot lead off the site. A POST's answer links the
// bare ?lang=.
func switcher(c *gin.Context) []langLink {
	q := url.Values{}
	if c.Request.Method == http.MethodGet {
		q = c.Request.URL.Query()
	}
	out := make([]langLink, len(langs))
	for i, l := range langs {
		q.Set(langParam, l.Code)
		out[i] = langLink{Lang: l, Href: "?" + q.Encode()}
	}
	return out
}

// translator returns the T of pages in l: the translation of an English
// source text, formatted with args like fmt.Sprintf.
func translator(l Lang) func(string, ...any) string {
	p := message.NewPrinter(l.tag, message.Catalog(messages))
	return func(key string, args ...any) string { return p.Sprintf(key, args...) }
}
