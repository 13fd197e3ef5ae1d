package store

import (
	"context"
	"crypto/sha256"
	"fmt"
	"time"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

const deviceColumns = `d.id, d.subscriber_id, d.mac, d.serial, d.device_id, d.device_id2, d.hw_version, d.model,
	d.firmware, d.locked, d.last_ip, d.last_seen_at, d.version, d.created_at, d.updated_at`

func scanDevice(row pgx.Row) (api.Device, error) {
	var d api.Device
	err := row.Scan(&d.ID, &d.SubscriberID, &d.MAC, &d.Serial, &d.DeviceID, &d.DeviceID2, &d.HWVersion, &d.Model,
		&d.Firmware, &d.Locked, &d.LastIP, &d.LastSeenAt, &d.Version, &d.CreatedAt, &d.UpdatedAt)
	return d, err
}

func findDevice(ctx context.Context, db querier, id int64, lock string) (api.Device, error) {
	return scanDevice(db.QueryRow(ctx, `SELECT `+deviceColumns+` FROM devices d WHERE d.id = $1`+lock, id))
}

// FindDeviceByID returns the device with that id, or CodeNotFound.
func (s *Store) FindDeviceByID(ctx context.Context, id int64) (api.Device, error) {
	d, err := findDevice(ctx, s.pool, id, "")
	if err != nil {
		return d, fmt.Errorf("find device %d: %w", id, interpretError(err))
	}
	return d, nil
}

// FindDevices returns a subscriber's devices (a household has a handful),
// oldest first.
func (s *Store) FindDevices(ctx context.Context, subscriberID int64) ([]api.Device, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+deviceColumns+` FROM devices d WHERE d.subscriber_id = $1 ORDER BY d.id`, subscriberID)
	if err != nil {
		return nil, fmt.Errorf("find devices of subscriber %d: %w", subscriberID, interpretError(err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (api.Device, error) { return scanDevice(r) })
	if err != nil {
		return nil, fmt.Errorf("find devices of subscriber %d: %w", subscriberID, interpretError(err))
	}
	return out, nil
}

// CreateDevice adds a device to a subscriber. It returns CodeInvalid (an
// unknown subscriber too) or CodeConflict when the MAC is taken; a reseller
// actor gets CodeNotFound for a line not its own (checkDeviceOwner).
func (s *Store) CreateDevice(ctx context.Context, actor api.Actor, d api.Device) (api.Device, error) {
	d = d.Normalize()
	if err := d.Validate(); err != nil {
		return d, err
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := checkDeviceOwner(ctx, tx, actor, d.SubscriberID); err != nil {
			return err
		}
		var err error
		d, err = scanDevice(tx.QueryRow(ctx, `INSERT INTO devices AS d (subscriber_id, mac, serial, device_id, device_id2,
			hw_version, model, firmware, locked) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING `+deviceColumns,
			d.SubscriberID, d.MAC, d.Serial, d.DeviceID, d.DeviceID2, d.HWVersion, d.Model, d.Firmware, d.Locked))
		if err != nil {
			return err
		}
		return writeChange(ctx, tx, rowWrite(actor, api.OpCreate, api.EntityDevice, d.ID, nil, d))
	})
	if err != nil {
		return d, fmt.Errorf("create device: %w", interpretError(err))
	}
	return d, nil
}

// UpdateDevice applies u (ids, lock). It returns CodeNotFound, CodeConflict
// for a stale version, or CodeInvalid.
func (s *Store) UpdateDevice(ctx context.Context, actor api.Actor, id int64, u api.DeviceUpdate) (api.Device, error) {
	var after api.Device
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		before, err := findDevice(ctx, tx, id, " FOR UPDATE")
		if err != nil {
			return err
		}
		if err := checkDeviceOwner(ctx, tx, actor, before.SubscriberID); err != nil {
			return err
		}
		if err := checkResellerDeviceUpdate(actor, u); err != nil {
			return err
		}
		if err := checkVersion("device", id, before.Version, u.Version); err != nil {
			return err
		}
		after = u.Apply(before)
		if err := after.Validate(); err != nil {
			return err
		}
		after, err = saveDeviceIDs(ctx, tx, after)
		if err != nil {
			return err
		}
		if lockTightened(before, after) {
			if err := endDeviceSession(ctx, tx, id); err != nil {
				return err
			}
		}
		return writeChange(ctx, tx, rowWrite(actor, api.OpUpdate, api.EntityDevice, id, before, after))
	})
	if err != nil {
		return after, fmt.Errorf("update device %d: %w", id, interpretError(err))
	}
	return after, nil
}

func saveDeviceIDs(ctx context.Context, tx pgx.Tx, d api.Device) (api.Device, error) {
	return scanDevice(tx.QueryRow(ctx, `UPDATE devices AS d SET serial = $2, device_id = $3, device_id2 = $4,
		hw_version = $5, locked = $6, version = version + 1, updated_at = now() WHERE id = $1 RETURNING `+deviceColumns,
		d.ID, d.Serial, d.DeviceID, d.DeviceID2, d.HWVersion, d.Locked))
}

// lockTightened reports whether an update made the lock refuse boxes it
// let in before: the device became locked, or a locked device's ids were
// changed. The lock is checked when a box boots (get_profile), so a box
// already in, such as a clone the operator is locking out, would otherwise
// keep its session for as long as it keeps calling.
func lockTightened(before, after api.Device) bool {
	return after.Locked && (!before.Locked || before.Serial != after.Serial || before.DeviceID != after.DeviceID ||
		before.DeviceID2 != after.DeviceID2 || before.HWVersion != after.HWVersion)
}

// endDeviceSession voids the box's portal session, so its next call is
// told to sign in again and its boot meets the lock. The device's change
// event drops the portal's cached copy on every instance.
func endDeviceSession(ctx context.Context, tx pgx.Tx, id int64) error {
	_, err := tx.Exec(ctx, `UPDATE devices SET token_hash = NULL, token_expires_at = NULL WHERE id = $1`, id)
	return err
}

// ResetDeviceLock clears the ids captured from the box, keeping the lock
// flag, so the next boot captures them again: what an operator does when a
// subscriber replaces a broken box but keeps its MAC. It returns
// CodeNotFound.
func (s *Store) ResetDeviceLock(ctx context.Context, actor api.Actor, id int64) (api.Device, error) {
	var after api.Device
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		before, err := findDevice(ctx, tx, id, " FOR UPDATE")
		if err != nil {
			return err
		}
		if err := checkDeviceOwner(ctx, tx, actor, before.SubscriberID); err != nil {
			return err
		}
		after = before
		after.Serial, after.DeviceID, after.DeviceID2, after.HWVersion = "", "", "", ""
		if after, err = saveDeviceIDs(ctx, tx, after); err != nil {
			return err
		}
		return writeChange(ctx, tx, rowWrite(actor, api.OpDeviceResetLock, api.EntityDevice, id, before, after))
	})
	if err != nil {
		return after, fmt.Errorf("reset lock of device %d: %w", id, interpretError(err))
	}
	return after, nil
}

// DeleteDevice removes a device; its box is refused from then on. It
// returns CodeNotFound.
func (s *Store) DeleteDevice(ctx context.Context, actor api.Actor, id int64) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		before, err := findDevice(ctx, tx, id, " FOR UPDATE")
		if err != nil {
			return err
		}
		if err := checkDeviceOwner(ctx, tx, actor, before.SubscriberID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM devices WHERE id = $1`, id); err != nil {
			return err
		}
		return writeChange(ctx, tx, rowWrite(actor, api.OpDelete, api.EntityDevice, id, before, nil))
	})
	if err != nil {
		return fmt.Errorf("delete device %d: %w", id, interpretError(err))
	}
	return nil
}

// PortalDevice is a device as the Stalker portal sees it: the record plus
// the state the box keeps on the server (session, favourites, last channel).
type PortalDevice struct {
	api.Device
	TokenHash      []byte
	TokenExpiresAt time.Time
	Favourites     []int64
	LastChannelID  int64
}

// FindPortalDevice returns the device with that (normalized) MAC, or
// CodeNotFound.
func (s *Store) FindPortalDevice(ctx context.Context, mac string) (PortalDevice, error) {
	var p PortalDevice
	var expires *time.Time
	row := s.pool.QueryRow(ctx, `SELECT `+deviceColumns+`, d.token_hash, d.token_expires_at, d.favourites,
		d.last_channel_id FROM devices d WHERE d.mac = $1`, mac)
	err := row.Scan(&p.ID, &p.SubscriberID, &p.MAC, &p.Serial, &p.DeviceID, &p.DeviceID2, &p.HWVersion, &p.Model,
		&p.Firmware, &p.Locked, &p.LastIP, &p.LastSeenAt, &p.Version, &p.CreatedAt, &p.UpdatedAt,
		&p.TokenHash, &expires, &p.Favourites, &p.LastChannelID)
	if err != nil {
		return p, fmt.Errorf("find device by mac: %w", interpretError(err))
	}
	if expires != nil {
		p.TokenExpiresAt = *expires
	}
	return p, nil
}

// DeviceBoot is what a box reports in get_profile.
type DeviceBoot struct {
	Serial, DeviceID, DeviceID2, HWVersion, Model, Firmware, IP string
}

// RecordDeviceBoot stores what a box reported on a successful boot: ids
// still empty are captured (spec stalker.md §3.3: the first boot fills
// them, later ones never overwrite them), model and firmware follow the
// box, and it is seen now. Telemetry, not an operator's change: no audit.
func (s *Store) RecordDeviceBoot(ctx context.Context, id int64, b DeviceBoot) error {
	_, err := s.pool.Exec(ctx, `UPDATE devices SET
		serial = CASE WHEN serial = '' THEN $2 ELSE serial END,
		device_id = CASE WHEN device_id = '' THEN $3 ELSE device_id END,
		device_id2 = CASE WHEN device_id2 = '' THEN $4 ELSE device_id2 END,
		hw_version = CASE WHEN hw_version = '' THEN $5 ELSE hw_version END,
		model = CASE WHEN $6 = '' THEN model ELSE $6 END,
		firmware = CASE WHEN $7 = '' THEN firmware ELSE $7 END,
		last_ip = $8, last_seen_at = now() WHERE id = $1`,
		id, clip(b.Serial), clip(b.DeviceID), clip(b.DeviceID2), clip(b.HWVersion), clip(b.Model), clip(b.Firmware), b.IP)
	if err != nil {
		return fmt.Errorf("record boot of device %d: %w", id, interpretError(err))
	}
	return nil
}

// clip bounds a value a box reports, so a hostile one cannot grow a row.
func clip(s string) string {
	if len(s) > 200 {
		return s[:200]
	}
	return s
}

// SetDeviceToken stores the SHA-256 of a portal session token until expires.
func (s *Store) SetDeviceToken(ctx context.Context, id int64, token string, expires time.Time) error {
	sum := sha256.Sum256([]byte(token))
	if _, err := s.pool.Exec(ctx, `UPDATE devices SET token_hash = $2, token_expires_at = $3 WHERE id = $1`,
		id, sum[:], expires); err != nil {
		return fmt.Errorf("set token of device %d: %w", id, interpretError(err))
	}
	return nil
}

// TouchDevice slides the session's expiry and records presence (watchdog).
func (s *Store) TouchDevice(ctx context.Context, id int64, ip string, expires time.Time) error {
	if _, err := s.pool.Exec(ctx, `UPDATE devices SET token_expires_at = $2, last_ip = $3, last_seen_at = now()
		WHERE id = $1`, id, expires, ip); err != nil {
		return fmt.Errorf("touch device %d: %w", id, interpretError(err))
	}
	return nil
}

// SetDeviceFavourites replaces the box's ordered favourite channel ids.
func (s *Store) SetDeviceFavourites(ctx context.Context, id int64, channelIDs []int64) error {
	if channelIDs == nil {
		channelIDs = []int64{}
	}
	if _, err := s.pool.Exec(ctx, `UPDATE devices SET favourites = $2 WHERE id = $1`, id, channelIDs); err != nil {
		return fmt.Errorf("set favourites of device %d: %w", id, interpretError(err))
	}
	return nil
}

// SetDeviceLastChannel remembers the channel the box opens on.
func (s *Store) SetDeviceLastChannel(ctx context.Context, id, channelID int64) error {
	if _, err := s.pool.Exec(ctx, `UPDATE devices SET last_channel_id = $2 WHERE id = $1`, id, channelID); err != nil {
		return fmt.Errorf("set last channel of device %d: %w", id, interpretError(err))
	}
	return nil
}
