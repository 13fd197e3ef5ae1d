package api

import (
	"net"
	"net/url"
	"strings"
	"time"
)

// StreamerPathPrefix is the path under which the streamer-facing endpoints
// live, followed by the installation's streamer secret: Flussonic sends no
// credentials on auth and config_external calls, so the path carries them.
const StreamerPathPrefix = "/flussonic/"

// Settings are the installation's settings (one per installation).
// AuthURL and ConfigExternalURL are derived: what an operator pastes into each
// streamer's configuration. Warnings explain settings that will bite later.
type Settings struct {
	ExternalURL string `json:"external_url"`
	// ExternalURLSource says where ExternalURL came from: ExternalURLFromFlag
	// or ExternalURLFromSettings; empty while there is none.
	ExternalURLSource string   `json:"external_url_source"`
	StreamerSecret    string   `json:"streamer_secret"`
	AuthURL           string   `json:"auth_url"`
	ConfigExternalURL string   `json:"config_external_url"`
	Warnings          []string `json:"warnings"`
	// BackupIntervalHours is how often the embedded database is backed up; 0
	// turns scheduled backups off. BackupKeep is how many scheduled backup
	// files stay; those of "Back up now" and `canale backup` are never deleted.
	BackupIntervalHours int `json:"backup_interval_hours"`
	BackupKeep          int `json:"backup_keep"`
	// VODStorages are the Flussonic VOD locations movies and episodes play
	// from, each with the streamers that serve it (settings.data.vod_storages).
	VODStorages []VODStorage `json:"vod_storages"`
	Version     int          `json:"version"`
	UpdatedAt   time.Time    `json:"updated_at"`
	// Branding is the customer portal's look (settings.data.branding).
	Branding Branding `json:"branding"`
}

// Sources of Settings.ExternalURL. The server's --external-url flag (or
// CANALE_EXTERNAL_URL) seeds the setting when it is empty, and keeps it in
// step while nobody has changed it; once an operator sets it through the API
// the settings' value wins over the flag.
const (
	ExternalURLFromFlag     = "flag"
	ExternalURLFromSettings = "settings"
)

// Derive fills AuthURL, ConfigExternalURL and Warnings from the stored fields.
func (s Settings) Derive() Settings {
	s.AuthURL, s.ConfigExternalURL, s.Warnings = "", "", []string{}
	if s.ExternalURL != "" && s.StreamerSecret != "" {
		base := strings.TrimRight(s.ExternalURL, "/") + StreamerPathPrefix + s.StreamerSecret
		s.AuthURL, s.ConfigExternalURL = base+"/auth", base+"/config"
	}
	if s.ExternalURL == "" {
		s.ExternalURLSource = ""
		s.Warnings = append(s.Warnings, "external_url is not set: streamers and players cannot be given Canale's address")
	} else if w := hostWarning(s.ExternalURL); w != "" {
		s.Warnings = append(s.Warnings, w)
	}
	return s
}

// NoteFlag adds a warning when the server was started with an external URL
// (flag, from --external-url or CANALE_EXTERNAL_URL) other than the one in
// effect: an operator's value in the settings wins over the flag.
func (s Settings) NoteFlag(flag string) Settings {
	if flag != "" && strings.TrimRight(flag, "/") != strings.TrimRight(s.ExternalURL, "/") {
		s.Warnings = append(s.Warnings, "this server was started with --external-url (CANALE_EXTERNAL_URL) "+flag+
			", which is not used: external_url was set in the settings")
	}
	return s
}

// hostWarning explains why the host of an external URL is not a fully
// qualified domain name, as Catena warns: certificates and streamers need one.
func hostWarning(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	host := u.Hostname()
	switch {
	case net.ParseIP(host) != nil:
		return "external_url uses an IP address; use a fully qualified domain name so TLS certificates can be issued"
	case strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost"):
		return "external_url points at localhost; streamers and players elsewhere cannot reach it"
	case !strings.Contains(strings.Trim(host, "."), "."):
		return "external_url host " + host + " is not a fully qualified domain name"
	}
	return ""
}

// SettingsUpdate is the body of PATCH /api/v1/settings.
type SettingsUpdate struct {
	ExternalURL         *string       `json:"external_url,omitempty"`
	BackupIntervalHours *int          `json:"backup_interval_hours,omitempty"`
	BackupKeep          *int          `json:"backup_keep,omitempty"`
	VODStorages         *[]VODStorage `json:"vod_storages,omitempty"`
	Version             int           `json:"version"`
	// Branding replaces the whole branding when set.
	Branding *Branding `json:"branding,omitempty"`
}

// Validate checks the fields that are set.
func (u SettingsUpdate) Validate() error {
	f := FieldErrors{}
	if u.ExternalURL != nil {
		checkURL(f, "external_url", *u.ExternalURL, true)
		if p, err := url.Parse(*u.ExternalURL); err == nil && (p.RawQuery != "" || p.Fragment != "") {
			f.Add("external_url", "must not have a query or fragment")
		}
	}
	if u.BackupIntervalHours != nil && (*u.BackupIntervalHours < 0 || *u.BackupIntervalHours > MaxBackupIntervalHours) {
		f.Add("backup_interval_hours", "must be between 0 (off) and 744")
	}
	if u.BackupKeep != nil && (*u.BackupKeep < 1 || *u.BackupKeep > MaxBackupKeep) {
		f.Add("backup_keep", "must be between 1 and 1000")
	}
	if u.VODStorages != nil {
		validateVODStorages(f, *u.VODStorages)
	}
	if u.Branding != nil {
		u.Branding.validate(f)
	}
	return f.Err()
}

// RotateSecretRequest is the optional body of POST
// /api/v1/settings/rotate-streamer-secret: the settings version the caller
// read, or 0 to rotate whatever is current.
type RotateSecretRequest struct {
	Version int `json:"version"`
}
