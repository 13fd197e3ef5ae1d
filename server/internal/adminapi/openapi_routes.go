package adminapi

import (
	"net/http"

	"canale/shared/api"
)

// routeDocs lists every /api/v1 route, paths relative to /api/v1 and written
// as in routes.go.
var routeDocs = []routeDoc{
	{Method: "POST", Path: "/auth/login", Summary: "Sign in; returns a bearer token", Request: api.LoginRequest{}, Response: api.LoginResponse{}, Public: true},
	{Method: "POST", Path: "/auth/logout", Summary: "Revoke the token in use", Status: http.StatusNoContent},
	{Method: "GET", Path: "/me", Summary: "The signed-in account and the server version", Response: api.Me{}},
	{Method: "GET", Path: "/audit", Summary: "Audit log, newest first", Query: []string{"entity", "entity_id", "before_id", "limit"}, Response: []api.AuditEntry{}},
	{Method: "GET", Path: "/openapi.json", Summary: "This document"},
	{Method: "GET", Path: "/tls", Summary: "HTTPS and Let's Encrypt status", Response: api.TLSStatus{}},
	{Method: "POST", Path: "/tls/letsencrypt", Summary: "Get a Let's Encrypt certificate now and serve HTTPS", Request: api.LetsEncryptRequest{}, Response: api.TLSStatus{}},
	{Method: "DELETE", Path: "/tls/letsencrypt", Summary: "Stop serving HTTPS with the managed certificate", Status: http.StatusNoContent},
}
