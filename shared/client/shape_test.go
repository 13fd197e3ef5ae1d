package client_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"canale/shared/api"
	"canale/shared/client"
)

// wholeLists are the client's list calls that return a bare slice, each
// with why it is not an api.Page. Every other list call has the one shape
// of pagedShape. A new entry needs a reason the server gives, not a wish.
var wholeLists = map[string]string{
	"Alerts":      "the server answers every unacknowledged alert at once",
	"Devices":     "the server answers a subscriber's few devices at once",
	"EPGChannels": "the server answers a source's whole channel list at once",
	"Programmes":  "bounded by the [from, to) window, not paged by the server",
	"Placements":  "the server answers every placement at once (a Page without Next)",
	"Backups":     "the server keeps and answers the last 20 backups",
	"Admins":      "the server answers every staff account at once (a Page without Next)",
	"ConfirmTOTP": "not a list: the recovery codes of a confirmed TOTP",
}

// unfiltered are the paged calls whose store function takes no filter, so
// the client takes none either: only a scope from the signed-in reseller
// (and the path's reseller id) plus the paging.
var unfiltered = map[string]string{
	"SubResellers":     "store.FindSubResellers(actor, p)",
	"SubResellerLines": "store.FindSubtreeLines(actor, id, p)",
	"CreditLog":        "store.FindCreditLog(resellerID, p)",
	"MyCreditLog":      "store.FindCreditLog(resellerID, p), the signed-in reseller's",
	"ResellerActivity": "store.FindResellerActivity(id, p)",
	"MyActivity":       "store.FindResellerActivity(id, p), the signed-in reseller's",
}

var (
	ctxType    = reflect.TypeOf((*context.Context)(nil)).Elem()
	errType    = reflect.TypeOf((*error)(nil)).Elem()
	paramsType = reflect.TypeOf(api.ListParams{})
	apiPkg     = paramsType.PkgPath()
)

// isPage reports whether t is an api.Page of some item type.
func isPage(t reflect.Type) bool {
	return t.PkgPath() == apiPkg && strings.HasPrefix(t.Name(), "Page[")
}

// pagedShape reports what is wrong with m against the one list shape
// (ctx, api.<Entity>Filter, api.ListParams) (api.Page[T], error), or "".
func pagedShape(m reflect.Method) string {
	t := m.Type // the receiver is In(0)
	if t.NumOut() != 2 || !isPage(t.Out(0)) || t.Out(1) != errType {
		return "must return (api.Page[T], error)"
	}
	if t.NumIn() < 3 || t.In(1) != ctxType || t.In(t.NumIn()-1) != paramsType {
		return "must take (ctx, ..., api.ListParams)"
	}
	if _, ok := unfiltered[m.Name]; ok {
		if t.NumIn() > 4 || (t.NumIn() == 4 && t.In(2).Kind() != reflect.Int64) {
			return "takes no filter like its store function, at most a scope id"
		}
		return ""
	}
	f := t.In(2)
	if t.NumIn() != 4 || f.PkgPath() != apiPkg || f.Kind() != reflect.Struct || !strings.HasSuffix(f.Name(), "Filter") {
		return "must take (ctx, api.<Entity>Filter, api.ListParams): the store's filter"
	}
	return ""
}

// TestListCallsHaveOneShape keeps the client's list calls in the store's
// shape, so a new list cannot bring back ListOptions-style url.Values
// filters, bare cursor/limit arguments or a query struct of its own.
func TestListCallsHaveOneShape(t *testing.T) {
	ct := reflect.TypeOf(&client.Client{})
	paged := 0
	for i := 0; i < ct.NumMethod(); i++ {
		m := ct.Method(i)
		typ := m.Type
		takesParams := false
		for j := 1; j < typ.NumIn(); j++ {
			takesParams = takesParams || typ.In(j) == paramsType
		}
		returnsPage := typ.NumOut() > 0 && isPage(typ.Out(0))
		returnsSlice := typ.NumOut() > 0 && typ.Out(0).Kind() == reflect.Slice
		switch {
		case takesParams || returnsPage:
			paged++
			if why := pagedShape(m); why != "" {
				t.Errorf("%s: %s", strings.Replace(typ.String(), "func(*client.Client, ", m.Name+"(", 1), why)
			}
		case returnsSlice:
			if _, ok := wholeLists[m.Name]; !ok {
				t.Errorf("%s returns a bare slice: page it as (ctx, api.<Entity>Filter, api.ListParams) (api.Page[T], error), or add it to wholeLists with the server's reason", m.Name)
			}
		}
	}
	// The exceptions must name real methods of the right kind, so the
	// lists cannot outlive what they excuse.
	for name := range wholeLists {
		m, ok := ct.MethodByName(name)
		if !ok || m.Type.NumOut() == 0 || m.Type.Out(0).Kind() != reflect.Slice {
			t.Errorf("wholeLists names %s, which is not a client method returning a slice", name)
		}
	}
	for name := range unfiltered {
		if m, ok := ct.MethodByName(name); !ok || !isPage(m.Type.Out(0)) {
			t.Errorf("unfiltered names %s, which is not a paged client method", name)
		}
	}
	if paged < 15 {
		t.Errorf("found %d paged list calls, want at least 15: the walk no longer sees them", paged)
	}
}
