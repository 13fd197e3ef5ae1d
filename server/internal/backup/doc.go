// Package backup dumps Canale's database to a file and restores it, with
// PostgreSQL's own pg_dump (custom format, one snapshot, so the server keeps
// running) and pg_restore; and it runs the scheduled backups of a server
// with their retention.
//
// A restore is one transaction: it drops what the schema holds, replays the
// dump through psql and commits only once pg_restore has read the whole file
// without error, so a truncated or corrupt file changes nothing. The caller
// migrates the restored schema forward afterwards.
package backup
