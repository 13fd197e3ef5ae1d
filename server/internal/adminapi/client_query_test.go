package adminapi_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"canale/server/internal/testserver"
	"canale/shared/api"
	"canale/shared/client"
)

// TestClientListFiltersReachDocumentedQuery calls every paged list method of
// the client with every field of its store filter set, and checks that each
// field goes out as its own query parameter and that each parameter is one
// the served openapi.json documents for that list. So a filter field the
// client forgets, or sends under another name than the handler reads, fails
// here instead of silently listing everything.
func TestClientListFiltersReachDocumentedQuery(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	documented := documentedListQueries(t, srv.Admin)

	var mu sync.Mutex
	var sent *url.URL
	rec := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		sent = r.URL
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"items":[]}`))
	}))
	defer rec.Close()
	c := reflect.ValueOf(client.New(rec.URL, nil))

	page := api.ListParams{Cursor: "c", Limit: 7}
	lists := 0
	for i := 0; i < c.NumMethod(); i++ {
		m, mt := c.Method(i), c.Type().Method(i)
		if m.Type().NumOut() != 2 || !strings.HasPrefix(m.Type().Out(0).Name(), "Page[") {
			continue
		}
		lists++
		args := []reflect.Value{reflect.ValueOf(context.Background())}
		fields := 0
		for j := 1; j < m.Type().NumIn()-1; j++ {
			v, n := everyFieldSet(m.Type().In(j))
			args = append(args, v)
			fields += n
		}
		args = append(args, reflect.ValueOf(page))
		if out := m.Call(args); !out[1].IsNil() {
			t.Errorf("%s: %v", mt.Name, out[1].Interface())
			continue
		}
		mu.Lock()
		u := sent
		mu.Unlock()
		names, ok := documentedFor(documented, u.Path)
		if !ok {
			t.Errorf("%s calls GET %s, which openapi.json does not document", mt.Name, u.Path)
			continue
		}
		q := u.Query()
		for k := range q {
			if !names[k] {
				t.Errorf("%s sends ?%s=, which openapi.json does not list for GET %s", mt.Name, k, u.Path)
			}
		}
		if got := len(q) - 2; got != fields { // minus cursor and limit
			t.Errorf("%s sent %d filter parameters (%s) for %d filter fields", mt.Name, got, u.RawQuery, fields)
		}
		if q.Get("cursor") != page.Cursor || q.Get("limit") != "7" {
			t.Errorf("%s lost the paging: %s", mt.Name, u.RawQuery)
		}
	}
	if lists < 15 {
		t.Errorf("called %d paged list methods, want at least 15", lists)
	}
}

// everyFieldSet returns a value of t with every field non-zero, and how many
// fields it has; an int64 (a path's scope id) counts none.
func everyFieldSet(t reflect.Type) (reflect.Value, int) {
	v := reflect.New(t).Elem()
	if t.Kind() != reflect.Struct {
		v.SetInt(1)
		return v, 0
	}
	for i := 0; i < t.NumField(); i++ {
		f := v.Field(i)
		switch {
		case f.Type() == reflect.TypeOf(time.Time{}):
			f.Set(reflect.ValueOf(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)))
		case f.Kind() == reflect.Pointer && f.Type().Elem().Kind() == reflect.Bool:
			yes := true
			f.Set(reflect.ValueOf(&yes))
		case f.Kind() == reflect.Bool:
			f.SetBool(true)
		case f.Kind() == reflect.Int64 || f.Kind() == reflect.Int:
			f.SetInt(3)
		case f.Kind() == reflect.String:
			f.SetString("x")
		default:
			panic("everyFieldSet: no value for " + t.Name() + "." + t.Field(i).Name)
		}
	}
	return v, t.NumField()
}

// documentedListQueries reads the query parameter names of every GET in
// the served openapi.json, keyed by a pattern of its path.
func documentedListQueries(t *testing.T, admin *client.Client) map[*regexp.Regexp]map[string]bool {
	t.Helper()
	var doc struct {
		Paths map[string]map[string]struct {
			Parameters []struct{ Name, In string }
		}
	}
	if err := admin.Do(context.Background(), http.MethodGet, "/api/v1/openapi.json", nil, &doc); err != nil {
		t.Fatal(err)
	}
	out := map[*regexp.Regexp]map[string]bool{}
	for p, ops := range doc.Paths {
		get, ok := ops["get"]
		if !ok {
			continue
		}
		re := regexp.MustCompile("^" + regexp.MustCompile(`\{[^}]+\}`).ReplaceAllString(p, `[^/]+`) + "$")
		names := map[string]bool{}
		for _, prm := range get.Parameters {
			if prm.In == "query" {
				names[prm.Name] = true
			}
		}
		out[re] = names
	}
	return out
}

func documentedFor(docs map[*regexp.Regexp]map[string]bool, path string) (map[string]bool, bool) {
	for re, names := range docs {
		if re.MatchString(path) {
			return names, true
		}
	}
	return nil, false
}
