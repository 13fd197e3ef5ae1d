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
	{Method: "GET", Path: "/epg-sources", Summary: "EPG sources by name, with their imports' state", Query: []string{"cursor", "limit", "q", "enabled"}, Response: api.Page[api.EPGSourceStatus]{}},
	{Method: "POST", Path: "/epg-sources", Summary: "Add an EPG source", Request: api.EPGSource{}, Response: api.EPGSource{}, Status: http.StatusCreated},
	{Method: "GET", Path: "/epg-sources/:id", Summary: "An EPG source, its last import and the running one's progress", Response: api.EPGSourceStatus{}},
	{Method: "PATCH", Path: "/epg-sources/:id", Summary: "Change an EPG source (names the version read)", Request: api.EPGSourceUpdate{}, Response: api.EPGSource{}},
	{Method: "DELETE", Path: "/epg-sources/:id", Summary: "Delete an EPG source with its guide", Status: http.StatusNoContent},
	{Method: "POST", Path: "/epg-sources/:id/run", Summary: "Import the source now; the outcome comes as an epg_done event", Response: api.EPGSourceStatus{}, Status: http.StatusAccepted},
	{Method: "GET", Path: "/epg-sources/:id/channels", Summary: "The channels the source's guide offers, to map channels to EPG ids", Response: []api.EPGChannel{}},
	{Method: "GET", Path: "/epg/programmes", Summary: "Programmes of EPG ids overlapping [from, to), by channel and start", Query: []string{"epg_id", "from", "to"}, Response: []api.EPGProgramme{}},
}
