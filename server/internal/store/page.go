package store

import (
	"encoding/base64"
	"encoding/json"

	"canale/shared/api"
)

// cursor is the position after the last row of a page: the value of the sort
// key and the id that breaks ties. It travels base64-encoded and opaque.
type cursor struct {
	Key any   `json:"k"`
	ID  int64 `json:"i"`
}

func encodeCursor(key any, id int64) string {
	b, _ := json.Marshal(cursor{Key: key, ID: id})
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor reads a cursor made by encodeCursor; an empty string is the
// start of the list. A cursor that does not decode is a CodeInvalid error.
func decodeCursor(s string) (c cursor, ok bool, err error) {
	if s == "" {
		return c, false, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil {
		return c, false, &api.Error{Code: api.CodeInvalid, Message: "invalid cursor",
			Fields: map[string]string{"cursor": "not a cursor from a previous page"}}
	}
	return c, true, nil
}
