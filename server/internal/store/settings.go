package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

// settingsAudit is what the audit log keeps of the settings: never the
// streamer secret, which would let anyone reading the log impersonate a
// streamer's callbacks.
type settingsAudit struct {
	ExternalURL         string           `json:"external_url"`
	ExternalURLSource   string           `json:"external_url_source"`
	BackupIntervalHours int              `json:"backup_interval_hours"`
	BackupKeep          int              `json:"backup_keep"`
	Version             int              `json:"version"`
	VODStorages         []api.VODStorage `json:"vod_storages"`
	Branding            api.Branding     `json:"branding"`
}

// newStreamerSecret returns 128 random bits in hex.
func newStreamerSecret() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b[:])
}

// lockSettings returns the settings row, locked, creating it and its streamer
// secret on first use.
func lockSettings(ctx context.Context, tx pgx.Tx, actor api.Actor) (api.Settings, error) {
	if _, err := tx.Exec(ctx, `INSERT INTO settings (id) VALUES (1) ON CONFLICT DO NOTHING`); err != nil {
		return api.Settings{}, err
	}
	var st api.Settings
	var vod, branding []byte
	if err := tx.QueryRow(ctx, `SELECT external_url, external_url_source, streamer_secret, backup_interval_hours, backup_keep, version, updated_at,
		coalesce(data->'vod_storages', '[]')::text, coalesce(data->'branding', '{}')::text
		FROM settings WHERE id = 1 FOR UPDATE`).
		Scan(&st.ExternalURL, &st.ExternalURLSource, &st.StreamerSecret, &st.BackupIntervalHours, &st.BackupKeep, &st.Version, &st.UpdatedAt,
			&vod, &branding); err != nil {
		return st, err
	}
	st.Branding = api.BrandingFromJSON(branding)
	if json.Unmarshal(vod, &st.VODStorages) != nil || st.VODStorages == nil {
		st.VODStorages = []api.VODStorage{} // a hand-written value that does not parse counts as none
	}
	if st.StreamerSecret != "" {
		return st, nil
	}
	st.StreamerSecret = newStreamerSecret()
	if err := tx.QueryRow(ctx, `UPDATE settings SET streamer_secret = $1, updated_at = now() WHERE id = 1 RETURNING updated_at`,
		st.StreamerSecret).Scan(&st.UpdatedAt); err != nil {
		return st, err
	}
	return st, writeSettingsChange(ctx, tx, actor, api.OpGenerateStreamerSecret, st, st)
}

func writeSettingsChange(ctx context.Context, tx pgx.Tx, actor api.Actor, action api.Op, before, after api.Settings) error {
	return writeChange(ctx, tx, rowWrite(actor, api.OpUpdate, api.EntitySettings, 1, auditOfSettings(before), auditOfSettings(after)).as(action))
}

func auditOfSettings(st api.Settings) settingsAudit {
	return settingsAudit{ExternalURL: st.ExternalURL, ExternalURLSource: st.ExternalURLSource, BackupIntervalHours: st.BackupIntervalHours,
		BackupKeep: st.BackupKeep, Version: st.Version, VODStorages: st.VODStorages, Branding: st.Branding}
}

// FindSettings returns the settings, generating the streamer secret on the
// first read (recorded as done by actor).
func (s *Store) FindSettings(ctx context.Context, actor api.Actor) (api.Settings, error) {
	var st api.Settings
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		st, err = lockSettings(ctx, tx, actor)
		return err
	})
	if err != nil {
		return st, fmt.Errorf("find settings: %w", err)
	}
	return st.Derive(), nil
}

// UpdateSettings applies u. It returns CodeConflict for a stale version and
// CodeInvalid for bad fields.
func (s *Store) UpdateSettings(ctx context.Context, actor api.Actor, u api.SettingsUpdate) (api.Settings, error) {
	if err := u.Validate(); err != nil {
		return api.Settings{}, err
	}
	return s.changeSettings(ctx, actor, "update", u.Version, func(st *api.Settings) {
		if u.ExternalURL != nil {
			st.ExternalURL, st.ExternalURLSource = *u.ExternalURL, api.ExternalURLFromSettings
		}
		if u.BackupIntervalHours != nil {
			st.BackupIntervalHours = *u.BackupIntervalHours
		}
		if u.BackupKeep != nil {
			st.BackupKeep = *u.BackupKeep
		}
		if u.VODStorages != nil {
			st.VODStorages = *u.VODStorages
		}
		if u.Branding != nil {
			st.Branding = *u.Branding
		}
	})
}

// SeedExternalURL makes url, the server's --external-url flag
// (CANALE_EXTERNAL_URL), the external URL when the settings have none, or
// have one seeded from the flag before (so a changed flag follows), and
// marks it as coming from the flag. An external URL an operator set through
// the API wins and is kept. An empty url changes nothing. It returns
// CodeInvalid for a url the settings would refuse, and CodeConflict when
// the settings changed meanwhile.
func (s *Store) SeedExternalURL(ctx context.Context, actor api.Actor, url string) (api.Settings, error) {
	if err := (api.SettingsUpdate{ExternalURL: &url}).Validate(); err != nil && url != "" {
		return api.Settings{}, err
	}
	st, err := s.FindSettings(ctx, actor)
	if err != nil || url == "" || st.ExternalURL == url ||
		(st.ExternalURL != "" && st.ExternalURLSource != api.ExternalURLFromFlag) {
		return st, err
	}
	return s.changeSettings(ctx, actor, "seed_external_url", st.Version, func(st *api.Settings) {
		st.ExternalURL, st.ExternalURLSource = url, api.ExternalURLFromFlag
	})
}

// RotateStreamerSecret replaces the streamer secret; every streamer's auth and
// config_external URL must then be updated. The version guards against two
// operators rotating at once; 0 means "whatever is current".
func (s *Store) RotateStreamerSecret(ctx context.Context, actor api.Actor, version int) (api.Settings, error) {
	return s.changeSettings(ctx, actor, "rotate_streamer_secret", version, func(st *api.Settings) {
		st.StreamerSecret = newStreamerSecret()
	})
}

func (s *Store) changeSettings(ctx context.Context, actor api.Actor, action api.Op, version int, change func(*api.Settings)) (api.Settings, error) {
	var after api.Settings
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		before, err := lockSettings(ctx, tx, actor)
		if err != nil {
			return err
		}
		if version != 0 || action == "update" {
			if err := checkVersion("settings", 1, before.Version, version); err != nil {
				return err
			}
		}
		after = before
		change(&after)
		if err := tx.QueryRow(ctx, `UPDATE settings SET external_url = $1, external_url_source = $2, streamer_secret = $3,
			backup_interval_hours = $4, backup_keep = $5, data = jsonb_set(jsonb_set(data, '{vod_storages}', $6::jsonb), '{branding}', $7::jsonb),
			version = version + 1, updated_at = now() WHERE id = 1 RETURNING version, updated_at`,
			after.ExternalURL, after.ExternalURLSource, after.StreamerSecret, after.BackupIntervalHours, after.BackupKeep,
			vodStoragesJSON(after.VODStorages), brandingJSON(after.Branding)).
			Scan(&after.Version, &after.UpdatedAt); err != nil {
			return err
		}
		return writeSettingsChange(ctx, tx, actor, action, before, after)
	})
	if err != nil {
		return after, fmt.Errorf("%s settings: %w", action, err)
	}
	return after.Derive(), nil
}

func vodStoragesJSON(s []api.VODStorage) string {
	if s == nil {
		s = []api.VODStorage{}
	}
	b, _ := json.Marshal(s) // plain strings: cannot fail
	return string(b)
}

func brandingJSON(b api.Branding) string {
	out, _ := json.Marshal(b) // plain strings: cannot fail
	return string(out)
}
