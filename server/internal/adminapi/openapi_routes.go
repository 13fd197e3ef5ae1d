package adminapi

import (
	"net/http"

	"canale/shared/api"
)

// routeDocs lists every /api/v1 route, paths relative to /api/v1 and written
// as in routes.go.
var routeDocs = concat(baseDocs,
	crud[api.Streamer]("/streamers", "streamer", api.StreamerCreate{}, api.StreamerUpdate{}, "role", "enabled"),
	crud[api.Category]("/categories", "category", api.Category{}, api.CategoryUpdate{}, "kind"),
	crud[api.Channel]("/channels", "channel", api.ChannelCreate{}, api.ChannelUpdate{}, "category_id", "pipeline_id", "enabled"),
	crud[api.Pipeline]("/pipelines", "pipeline", api.Pipeline{}, api.PipelineUpdate{}, "streamer_id"),
	crud[api.Package]("/packages", "package", api.Package{}, api.PackageUpdate{}, "channel_id", "free"),
	crud[api.VOD]("/vod", "VOD item", api.VODCreate{}, api.VODUpdate{}, "category_id", "enabled"),
	catalogDocs,
	crud[api.Subscriber]("/subscribers", "subscriber", api.Subscriber{}, api.SubscriberUpdate{}, "status", "package_id", "reseller_id", "expires_before"),
	crud[api.Reseller]("/resellers", "reseller", api.Reseller{}, api.ResellerUpdate{}, "parent_id", "status"),
	subscriberDocs,
	fleetDocs,
	sessionDocs,
	alertDocs,
	backupDocs,
	staffDocs,
	resellerBusinessDocs,
	tunerDocs,
	seriesDocs,
	deviceDocs,
	refusalDocs,
)

var backupDocs = []routeDoc{
	{Method: "GET", Path: "/backups", Summary: "The last 20 backups, newest first", Response: []api.Backup{}},
	{Method: "POST", Path: "/backups", Summary: "Back up the database now (admins only); progress and outcome come as backup_progress and backup_done events", Response: api.Backup{}, Status: http.StatusAccepted},
}

var staffDocs = []routeDoc{
	{Method: "GET", Path: "/admins", Summary: "Staff accounts (admins and operators)", Response: api.Page[api.Admin]{}},
	{Method: "POST", Path: "/admins", Summary: "Create a staff account", Request: api.AdminCreate{}, Response: api.Admin{}, Status: http.StatusCreated},
	{Method: "GET", Path: "/admins/:id", Summary: "One staff account", Response: api.Admin{}},
	{Method: "PATCH", Path: "/admins/:id", Summary: "Change a staff account's role or whether it must use TOTP", Request: api.AdminUpdate{}, Response: api.Admin{}},
	{Method: "DELETE", Path: "/admins/:id", Summary: "Delete a staff account (not your own, not the last active admin)", Status: http.StatusNoContent},
	{Method: "POST", Path: "/admins/:id/disable", Summary: "Disable a staff account and revoke its tokens (not your own, not the last active admin)", Response: api.Admin{}},
	{Method: "POST", Path: "/admins/:id/enable", Summary: "Enable a staff account", Response: api.Admin{}},
	{Method: "DELETE", Path: "/admins/:id/totp", Summary: "Remove a staff account's authenticator and recovery codes (a lost device)", Response: api.Admin{}},
	{Method: "POST", Path: "/me/password", Summary: "Change your own password; your other sessions are signed out", Request: api.PasswordChange{}, Status: http.StatusNoContent},
	{Method: "POST", Path: "/me/totp", Summary: "Start TOTP enrolment: the secret and otpauth:// URL, shown once", Response: api.TOTPEnrolment{}},
	{Method: "POST", Path: "/me/totp/confirm", Summary: "Finish TOTP enrolment with a code; answers the recovery codes, shown once", Request: api.TOTPConfirm{}, Response: api.RecoveryCodes{}},
	{Method: "DELETE", Path: "/me/totp", Summary: "Remove your own authenticator (unless an admin requires TOTP)", Response: api.Admin{}},
}

var alertDocs = []routeDoc{
	{Method: "GET", Path: "/alerts", Summary: "Alerts nobody has acknowledged yet, newest first", Response: []api.Alert{}},
	{Method: "POST", Path: "/alerts/ack", Summary: "Acknowledge alerts on every instance (operators may too)", Request: api.AlertAck{}, Status: http.StatusNoContent},
}

var sessionDocs = []routeDoc{
	{Method: "GET", Path: "/sessions", Summary: "Who watches what now (history=true: closed sessions too)", Query: []string{"channel", "subscriber", "subscriber_id", "streamer_id", "history", "cursor", "limit"}, Response: api.Page[api.PlaySession]{}},
	{Method: "DELETE", Path: "/sessions/:id", Summary: "Kill a play session: refused at its next check, dropped on the streamer", Status: http.StatusNoContent},
}

var fleetDocs = []routeDoc{
	{Method: "GET", Path: "/fleet", Summary: "Every streamer's health and load, with per-stream status", Response: api.FleetStatus{}},
	{Method: "GET", Path: "/fleet/streamers/:id/history", Summary: "A streamer's figures over the last hour, for charts", Response: api.StreamerHistory{}},
	{Method: "GET", Path: "/fleet/channels/:name/history", Summary: "A channel's figures over the last hour, for charts", Response: api.ChannelHistory{}},
	{Method: "GET", Path: "/placements", Summary: "Where each channel runs, per pipeline step", Response: api.Page[api.ChannelPlacement]{}},
}

var subscriberDocs = []routeDoc{
	{Method: "POST", Path: "/subscribers/:id/reset-token", Summary: "Give the subscriber a new playback token; the old one stops working at once", Response: api.Subscriber{}},
	{Method: "POST", Path: "/subscribers/:id/extend", Summary: "Extend the expiry by a package period (resellers are debited its price; only a package they sell) or by days (operators only)", Request: api.ExtendRequest{}, Response: api.Subscriber{}},
	{Method: "POST", Path: "/subscribers/:id/enable", Summary: "Set the subscriber active (a reseller cannot lift an operator's ban: 403 naming status)", Response: api.Subscriber{}},
	{Method: "POST", Path: "/subscribers/:id/disable", Summary: "Set the subscriber disabled (a reseller cannot touch a banned subscriber: 403 naming status)", Response: api.Subscriber{}},
	{Method: "POST", Path: "/subscribers/import", Summary: "Import subscribers from CSV (body: text/csv with a header row)", Query: []string{"strict", "dry_run"}, Response: api.ImportReport{}},
	{Method: "POST", Path: "/resellers/:id/credits", Summary: "Add or deduct a reseller's credits", Request: api.CreditChange{}, Response: api.Reseller{}},
	{Method: "GET", Path: "/resellers/:id/credit-log", Summary: "A reseller's credit movements, newest first", Query: []string{"cursor", "limit"}, Response: api.Page[api.CreditLogEntry]{}},
	{Method: "GET", Path: "/me/credit-log", Summary: "The signed-in reseller's credit movements", Query: []string{"cursor", "limit"}, Response: api.Page[api.CreditLogEntry]{}},
}

var catalogDocs = []routeDoc{
	{Method: "POST", Path: "/channels/import", Summary: "Import channels from an M3U playlist (body: the playlist text)", Query: []string{"strict", "dry_run", "skip_existing"}, Response: api.ImportReport{}},
	{Method: "PUT", Path: "/channels/:id/logo", Summary: "Upload the channel logo (raw image body or multipart field file)", Response: api.Channel{}},
	{Method: "DELETE", Path: "/channels/:id/logo", Summary: "Remove the uploaded logo", Response: api.Channel{}},
	{Method: "GET", Path: "/settings", Summary: "Installation settings, with derived streamer URLs and warnings", Response: api.Settings{}},
	{Method: "PATCH", Path: "/settings", Summary: "Change settings", Request: api.SettingsUpdate{}, Response: api.Settings{}},
	{Method: "POST", Path: "/settings/rotate-streamer-secret", Summary: "Replace the secret in the streamer-facing URLs", Request: api.RotateSecretRequest{}, Response: api.Settings{}},
}

// crud documents the five routes of a resource.
func crud[T any](path, noun string, create, update any, filters ...string) []routeDoc {
	var entity T
	list := []string{"cursor", "limit", "q", "sort"}
	return []routeDoc{
		{Method: "GET", Path: path, Summary: "List " + noun + "s (keyset paging: pass next back as cursor)", Query: append(list, filters...), Response: api.Page[T]{}},
		{Method: "POST", Path: path, Summary: "Create a " + noun, Request: create, Response: entity, Status: http.StatusCreated},
		{Method: "GET", Path: path + "/:id", Summary: "Get a " + noun, Response: entity},
		{Method: "PATCH", Path: path + "/:id", Summary: "Change a " + noun + " (send the version you read; 409 when stale)", Request: update, Response: entity},
		{Method: "DELETE", Path: path + "/:id", Summary: "Delete a " + noun, Status: http.StatusNoContent},
	}
}

func concat(lists ...[]routeDoc) []routeDoc {
	var out []routeDoc
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

var baseDocs = []routeDoc{
	{Method: "POST", Path: "/auth/login", Summary: "Sign in; returns a bearer token", Request: api.LoginRequest{}, Response: api.LoginResponse{}, Public: true},
	{Method: "POST", Path: "/auth/logout", Summary: "Revoke the token in use", Status: http.StatusNoContent},
	{Method: "GET", Path: "/me", Summary: "The signed-in account and the server version", Response: api.Me{}},
	{Method: "POST", Path: "/me/password", Summary: "Change one's own password (admin or reseller); every other token of the account is revoked", Request: api.PasswordChange{}, Status: http.StatusNoContent},
	{Method: "GET", Path: "/audit", Summary: "Audit log, newest first", Query: []string{"entity", "entity_id", "cursor", "limit"}, Response: api.Page[api.AuditEntry]{}},
	{Method: "GET", Path: "/openapi.json", Summary: "This document", Public: true},
	{Method: "GET", Path: "/events", Summary: "Websocket of api.Event (catalog changes, fleet transitions, alerts, EPG progress); send the bearer token on the upgrade", Response: api.Event{}, Status: http.StatusSwitchingProtocols},
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
