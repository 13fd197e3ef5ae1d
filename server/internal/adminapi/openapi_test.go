package adminapi_test

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"testing"

	"canale/server/internal/testserver"
)

// TestOpenAPIMatchesRoutes checks that the served document lists exactly the
// routes the engine serves under /api/v1, methods included.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	var doc struct {
		OpenAPI string                            `json:"openapi"`
		Paths   map[string]map[string]interface{} `json:"paths"`
	}
	if err := srv.Admin.Do(context.Background(), http.MethodGet, "/api/v1/openapi.json", nil, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.0.3" {
		t.Errorf("openapi version: got %q", doc.OpenAPI)
	}
	documented := map[string]bool{}
	for p, ops := range doc.Paths {
		for m := range ops {
			documented[strings.ToUpper(m)+" "+p] = true
		}
	}
	served := map[string]bool{}
	for _, r := range srv.App.Engine().Routes() {
		if strings.HasPrefix(r.Path, "/api/v1/") {
			served[r.Method+" "+pathParam.ReplaceAllStringFunc(r.Path, func(s string) string { return "{" + s[1:] + "}" })] = true
		}
	}
	for _, k := range sortedKeys(served) {
		if !documented[k] {
			t.Errorf("served but not in openapi.json: %s", k)
		}
	}
	for _, k := range sortedKeys(documented) {
		if !served[k] {
			t.Errorf("in openapi.json but not served: %s", k)
		}
	}
}

func sortedKeys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
