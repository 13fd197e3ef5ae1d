package adminapi

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"

	"canale/shared/api"
)

// jsonFieldError is the CodeInvalid error naming the field of a JSON value
// of the wrong type, nil for any other error. Amounts of money are int64
// minor units, so 0.1, 1e-9 and 1e30 in "delta_minor" are refused here by
// name rather than rounded or wrapped.
func jsonFieldError(err error) error {
	var te *json.UnmarshalTypeError
	if !errors.As(err, &te) || te.Field == "" {
		return nil
	}
	reason := "must be a JSON " + te.Type.Kind().String()
	switch te.Type.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		reason = "must be a whole number within range"
		if strings.HasSuffix(te.Field, "_minor") {
			reason += " of minor units (1234 is 12.34 credits)"
		}
	}
	return &api.Error{Code: api.CodeInvalid, Message: "invalid JSON body: " + te.Field + " " + reason,
		Fields: map[string]string{te.Field: reason}}
}
