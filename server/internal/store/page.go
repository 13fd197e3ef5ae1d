package store

import (
	"encoding/base64"
	"encoding/json"
	"hash/fnv"
	"strconv"

	"canale/shared/api"
)

// cursor is the position after the last row of a page: the value of the sort
// key and the id that breaks ties. It travels base64-encoded and opaque.
// List names the list and order it came from (listQuery.tag), so a list
// refuses another's cursor.
type cursor struct {
	Key  any    `json:"k"`
	ID   int64  `json:"i"`
	List string `json:"l,omitempty"`
}

// String encodes c for the wire.
func (c cursor) String() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor reads a cursor made by cursor.String; an empty string is the
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
		return c, false, badCursor()
	}
	return c, true, nil
}

// badCursor is the answer to a cursor that is not one this list gave.
func badCursor() error {
	return &api.Error{Code: api.CodeInvalid, Message: "invalid cursor",
		Fields: map[string]string{"cursor": "not a cursor from a previous page"}}
}

// tag names q's list in the given order ("-id", "name") for its cursors,
// so a cursor from another list, or from this one in another order, is
// refused naming "cursor" instead of being read as a position here (where
// it would cast wrongly, or silently skip rows). Filters are not part of
// it: a position in a narrower list of the same rows is still a position.
func (q *listQuery) tag(order string) string {
	h := fnv.New32a()
	h.Write([]byte(q.selectFrom + "\x00" + order))
	return strconv.FormatUint(uint64(h.Sum32()), 36)
}

// keyFrom returns the sort key of c, a cursor of the list tagged list,
// ordered by sk; badCursor when c is not one.
func keyFrom(c cursor, list string, sk sortKey) (string, error) {
	key, ok := c.Key.(string)
	if !ok || c.List != list {
		return "", badCursor()
	}
	var err error
	switch sk.cast {
	case "bigint":
		_, err = strconv.ParseInt(key, 10, 64)
	case "integer":
		_, err = strconv.ParseInt(key, 10, 32)
	}
	if err != nil {
		return "", badCursor()
	}
	return key, nil
}
