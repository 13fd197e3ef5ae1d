// Package migrations holds Canale's schema as numbered plain-SQL files.
//
// The files are embedded here because go:embed cannot reach a parent
// directory; the runner lives in the store package. A merged migration is
// never edited: to undo a change, add a new file.
package migrations

import "embed"

// FS holds every NNN_name.sql file, applied in name order.
//
//go:embed *.sql
var FS embed.FS
