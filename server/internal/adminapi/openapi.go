package adminapi

import (
	"encoding/json"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"time"

	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// routeDoc documents one route for the OpenAPI document. Every /api/v1 route
// the engine serves must have one (a test compares the two lists), so the
// document cannot drift from the router.
type routeDoc struct {
	Method, Path, Summary string
	Query                 []string // query parameter names
	Request, Response     any      // zero values of the Go types; nil for none
	Status                int      // success status; 0 means 200
	Public                bool     // no bearer token needed
}

// openAPIDocument builds the OpenAPI 3 document of every documented route.
func openAPIDocument(version string) map[string]any {
	g := &schemaGen{components: map[string]any{}}
	paths := map[string]map[string]any{}
	for _, d := range routeDocs {
		p := "/api/v1" + ginPathParam.ReplaceAllString(d.Path, "{$1}")
		if paths[p] == nil {
			paths[p] = map[string]any{}
		}
		paths[p][strings.ToLower(d.Method)] = g.operation(d)
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info":    map[string]any{"title": "Canale admin API", "version": version},
		"paths":   paths,
		"components": map[string]any{
			"schemas":         g.components,
			"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer"}},
		},
		"security": []any{map[string]any{"bearer": []any{}}},
	}
}

var ginPathParam = regexp.MustCompile(`[:*]([a-zA-Z_]+)`)

func (a *API) handleOpenAPI(c *gin.Context) {
	c.JSON(http.StatusOK, openAPIDocument(a.Version))
}

type schemaGen struct {
	components map[string]any
}

func (g *schemaGen) operation(d routeDoc) map[string]any {
	op := map[string]any{"summary": d.Summary, "responses": g.responses(d)}
	var params []any
	for _, m := range ginPathParam.FindAllStringSubmatch(d.Path, -1) {
		params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
	}
	for _, q := range d.Query {
		params = append(params, map[string]any{"name": q, "in": "query", "schema": map[string]any{"type": "string"}})
	}
	if len(params) > 0 {
		op["parameters"] = params
	}
	if d.Request != nil {
		op["requestBody"] = map[string]any{"required": true,
			"content": map[string]any{"application/json": map[string]any{"schema": g.schema(reflect.TypeOf(d.Request))}}}
	}
	if d.Public {
		op["security"] = []any{}
	}
	return op
}

func (g *schemaGen) responses(d routeDoc) map[string]any {
	status := d.Status
	if status == 0 {
		status = http.StatusOK
	}
	ok := map[string]any{"description": http.StatusText(status)}
	if d.Response != nil {
		ok["content"] = map[string]any{"application/json": map[string]any{"schema": g.schema(reflect.TypeOf(d.Response))}}
	}
	errResp := map[string]any{"description": "error", "content": map[string]any{"application/json": map[string]any{
		"schema": map[string]any{"type": "object", "properties": map[string]any{"error": g.schema(reflect.TypeOf(api.Error{}))}}}}}
	return map[string]any{itoa(status): ok, "default": errResp}
}

var (
	timeType = reflect.TypeOf(time.Time{})
	rawType  = reflect.TypeOf(json.RawMessage(nil))
)

// schema returns the JSON schema of t, registering named structs as
// components so they are described once and referenced everywhere.
func (g *schemaGen) schema(t reflect.Type) map[string]any {
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t == rawType:
		return map[string]any{}
	}
	switch t.Kind() {
	case reflect.Pointer:
		s := g.schema(t.Elem())
		if _, isRef := s["$ref"]; !isRef {
			s["nullable"] = true
		}
		return s
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Slice, reflect.Array:
		return map[string]any{"type": "array", "items": g.schema(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.schema(t.Elem())}
	case reflect.Struct:
		return g.structRef(t)
	}
	return map[string]any{}
}

func (g *schemaGen) structRef(t reflect.Type) map[string]any {
	name := componentName(t)
	if _, done := g.components[name]; !done {
		g.components[name] = map[string]any{} // placeholder: breaks recursion
		props := map[string]any{}
		g.properties(t, props)
		g.components[name] = map[string]any{"type": "object", "properties": props}
	}
	return map[string]any{"$ref": "#/components/schemas/" + name}
}

// properties adds the JSON fields of struct t to props; the fields of an
// embedded struct without a JSON name are promoted, as encoding/json does.
func (g *schemaGen) properties(t reflect.Type, props map[string]any) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := strings.Split(f.Tag.Get("json"), ",")[0]
		if f.Anonymous && tag == "" && f.Type.Kind() == reflect.Struct {
			g.properties(f.Type, props)
			continue
		}
		if !f.IsExported() || tag == "-" {
			continue
		}
		if tag == "" {
			tag = f.Name
		}
		props[tag] = g.schema(f.Type)
	}
}

var nonWord = regexp.MustCompile(`[^A-Za-z0-9]+`)

// componentName turns "Page[canale/shared/api.Subscriber]" into "PageSubscriber".
func componentName(t reflect.Type) string {
	name := t.Name()
	if i := strings.IndexByte(name, '['); i >= 0 {
		inner := name[i+1 : len(name)-1]
		if j := strings.LastIndexByte(inner, '.'); j >= 0 {
			inner = inner[j+1:]
		}
		name = name[:i] + inner
	}
	return nonWord.ReplaceAllString(name, "")
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
