// Package migrations holds Canale's schema as numbered plain-SQL files.
//
// The files are embedded here because go:embed cannot reach a parent
// directory; the runner lives in the store package. A merged migration is
// never edited: to undo a change, add a new file. A new file takes the next
// number after the highest (013 and 014 were never used: a file filling a gap
// would run last on existing installs and in between on new ones).
package migrations

import "embed"

// FS holds every NNN_name.sql file, applied in name order.
//
//go:embed *.sql
var FS embed.FS
