// Package adminapi is the REST API under /api/v1 that the desktop app,
// billing systems and resellers use. routes.go lists every route by
// authorization level; handlers bind, validate, call the store and respond,
// and every error leaves through writeError.
package adminapi
