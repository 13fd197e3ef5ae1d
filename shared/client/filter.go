package client

import (
	"fmt"
	"net/url"
	"reflect"
	"strconv"
	"time"
)

var timeType = reflect.TypeOf(time.Time{})

// filterQuery turns a store filter of shared/api (api.ChannelFilter, …)
// into the query parameters its list handler reads, named by each field's
// `query` tag, so a list call takes the same filter the handler hands to
// the store: one shape from the client down to the SQL. Zero fields do not
// filter, as in the store; a *bool filters when set, times go as RFC 3339
// in UTC. A field without a tag, or of a kind it cannot write, panics: that
// is a programming error the client tests catch.
func filterQuery(f any) url.Values {
	q := url.Values{}
	v := reflect.ValueOf(f)
	for i := 0; i < v.NumField(); i++ {
		field, sf := v.Field(i), v.Type().Field(i)
		key := sf.Tag.Get("query")
		if key == "" {
			panic(fmt.Sprintf("client: %s.%s has no query tag", v.Type().Name(), sf.Name))
		}
		switch {
		case field.IsZero():
		case field.Type() == timeType:
			q.Set(key, field.Interface().(time.Time).UTC().Format(time.RFC3339))
		case field.Kind() == reflect.Pointer && field.Type().Elem().Kind() == reflect.Bool:
			q.Set(key, strconv.FormatBool(field.Elem().Bool()))
		case field.Kind() == reflect.Bool, field.Kind() == reflect.String, field.Kind() == reflect.Int64:
			q.Set(key, fmt.Sprint(field.Interface()))
		default:
			panic(fmt.Sprintf("client: %s.%s: no query encoding for %s", v.Type().Name(), sf.Name, field.Type()))
		}
	}
	return q
}
