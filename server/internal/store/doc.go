// Package store is Canale's PostgreSQL layer and the only package that
// imports pgx. Public methods open a transaction and call small statement
// functions; every driver error leaves through interpretError, so callers
// only ever see *api.Error codes (not-found, conflict, unavailable) and never
// a pgx type.
package store
