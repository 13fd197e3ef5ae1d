package stalker

import (
	"errors"
	"hash/fnv"
	"strconv"

	"canale/server/internal/store"
	"canale/server/internal/subscriberview"
	"canale/shared/api"
)

// handshake answers every well-formed MAC alike, known or not, without
// touching the database: the token is only confirmed by a profile that
// passes (§2.1, §3.4), so a scanner learns nothing here. A box that sends
// back its saved token keeps it.
func (a *API) handshake(q *request, _ *session) (any, error) {
	token := q.param("token")
	if !isToken(token) {
		token = newToken()
	}
	return map[string]any{"token": token, "random": newToken()}, nil
}

// genericBlock is the one message of an unknown MAC, a banned account and a
// lock mismatch, so the three look alike to a scanner (§3.4).
const genericBlock = "Please contact your provider to register this device."

// blocked is the profile of a box that may not start (status 1).
func blocked(msg string) map[string]any {
	return map[string]any{"status": 1, "block_msg": msg, "watchdog_timeout": watchdogTimeout}
}

// watchdogTimeout is the seconds between a box's keep-alives (Stalker's default).
const watchdogTimeout = 120

// getProfile decides whether the box may start (§2.2, §3.3). On success it
// records what the box reported, captures its ids if empty, and confirms
// the handshake's token as the box's session.
func (a *API) getProfile(q *request, _ *session) (any, error) {
	ip := q.addr()
	if q.mac == "" {
		a.scan.unknown(ip)
		return blocked(genericBlock), nil
	}
	dev, err := a.devices.load(q.c, q.mac) // a boot reads the row: it checks the lock
	if api.ErrorCode(err) == api.CodeNotFound {
		a.scan.unknown(ip)
		return blocked(genericBlock), nil
	}
	if err != nil {
		return nil, err
	}
	boot := store.DeviceBoot{Serial: q.param("sn"), DeviceID: q.param("device_id"), DeviceID2: q.param("device_id2"),
		HWVersion: q.param("hw_version"), Model: q.param("stb_type"), Firmware: firmware(q), IP: ip}
	if reason := lockMismatch(dev, boot); reason != "" {
		a.deps.Logger.WarnContext(q.c, "stalker device refused", "device_id", dev.ID, "reason", reason, "ip", ip)
		return blocked(genericBlock), nil
	}
	sub, err := a.deps.Directory.SubscriberByID(q.c, dev.SubscriberID)
	if err != nil {
		return nil, err
	}
	switch sub.Access(q.now) {
	case subscriberview.AccessExpired:
		return blocked("Your subscription has expired."), nil
	case subscriberview.AccessDisabled:
		return blocked("Your account is disabled."), nil
	case subscriberview.AccessBanned:
		return blocked(genericBlock), nil
	}
	token := bearer(q.c)
	if !isToken(token) {
		return blocked(genericBlock), nil // no handshake: nothing to confirm
	}
	if err := a.deps.Devices.RecordDeviceBoot(q.c, dev.ID, boot); err != nil {
		return nil, err
	}
	if err := a.devices.setToken(q.c, dev.ID, token, q.now.Add(a.deps.SessionTTL)); err != nil {
		return nil, err
	}
	return profile(dev, sub, boot.Model), nil
}

// firmware is the firmware string a box reports: ver, else image_version.
func firmware(q *request) string {
	if v := q.param("ver"); v != "" {
		return v
	}
	return q.param("image_version")
}

// lockMismatch names the first id of a locked device that differs from what
// the box sent (XC's rule: a stored empty id passes), "" when it may start.
func lockMismatch(dev store.PortalDevice, b store.DeviceBoot) string {
	if !dev.Locked {
		return ""
	}
	for _, f := range []struct{ name, stored, sent string }{
		{"sn_mismatch", dev.Serial, b.Serial},
		{"device_id_mismatch", dev.DeviceID, b.DeviceID},
		{"device_id2_mismatch", dev.DeviceID2, b.DeviceID2},
		{"hw_version_mismatch", dev.HWVersion, b.HWVersion},
	} {
		if f.stored != "" && f.stored != clip(f.sent) {
			return f.name
		}
	}
	return ""
}

// profile is the status 0 answer with the keys boxes read (§2.2).
func profile(dev store.PortalDevice, sub subscriberview.Subscriber, model string) map[string]any {
	h := fnv.New32a()
	h.Write([]byte(dev.MAC))
	// timeslot spreads the boxes' watchdogs over the period: the MAG portal
	// JS takes it as the offset inside watchdog_timeout, but Kodi's
	// pvr.stalker as the period itself, and one near 0 would have it call
	// without pause. So it lies in the second half of the period.
	ratio := 0.5 + float64(h.Sum32()%1000)/2000
	id := strconv.FormatInt(dev.ID, 10)
	name := dev.MAC[len(dev.MAC)-8:]
	return map[string]any{
		"id": dev.ID, "name": name, "mac": dev.MAC, "status": 0, "login": sub.Login, "ls": strconv.FormatInt(sub.ID, 10),
		"fname": sub.Name, "stb_type": model, "locale": "en_GB.utf8", "stb_lang": "en", "default_timezone": "UTC",
		"timezone_diff": 0, "watchdog_timeout": watchdogTimeout, "timeslot": int(ratio * watchdogTimeout),
		"timeslot_ratio": ratio, "last_itv_id": dev.LastChannelID, "fav_itv_on": 0, "parent_password": "0000",
		"storages": []any{}, "allowed_stb_types": []string{"mag200", "mag250", "mag254", "mag256", "mag322", "mag324",
			"mag349", "mag351", "mag410", "mag420", "mag424", "mag520", "aurahd"},
		"hls_fast_start": "1", "show_tv_channel_logo": true, "enable_buffering_indication": 1, "auth_access": false,
		"tv_archive_continued": "", "updated": map[string]string{"id": "1", "uid": id, "anec": "0", "vclub": "0"},
	}
}

// doAuth signs a box in with its subscriber's login and password (§2.3),
// through the same rate-limited sign-in as every surface. A MAC not yet
// known is registered to that subscriber; one registered to another
// subscriber is refused.
//
// Both count as unknown-MAC calls in the scan guard: with one valid login,
// do_auth would otherwise tell, without limit, which MACs other
// subscribers' boxes have (false) and which are free (true, and registered
// to the caller), so a subscriber could list MACs to boot as, or squat on
// every free one. A household registering its boxes stays far below the
// threshold.
func (a *API) doAuth(q *request, _ *session) (any, error) {
	if q.mac == "" {
		return false, nil
	}
	sub, err := a.deps.Auth.Authenticate(q.c, q.param("login"), q.param("password"), q.addr())
	if errors.Is(err, subscriberview.ErrBadCredentials) {
		a.scan.unknown(q.addr()) // guessing logins is scanning too: refused before the next hash
		return false, nil
	}
	if api.ErrorCode(err) == api.CodeRateLimited ||
		api.ErrorCode(err) == api.CodeUnavailable {
		return false, nil
	}
	if err != nil {
		return nil, err
	}
	dev, err := a.deps.Devices.FindPortalDevice(q.c, q.mac)
	switch {
	case api.ErrorCode(err) == api.CodeNotFound:
		a.scan.unknown(q.ip)
		_, err = a.deps.Devices.CreateDevice(q.c, api.Actor{Kind: "subscriber", ID: sub.ID, Login: sub.Login},
			api.Device{SubscriberID: sub.ID, MAC: q.mac})
		if api.ErrorCode(err) == api.CodeConflict { // registered meanwhile
			return false, nil
		}
		return err == nil, err
	case err != nil:
		return nil, err
	case dev.SubscriberID != sub.ID:
		a.scan.unknown(q.ip)
		return false, nil
	}
	return true, nil
}

// clip is how the store keeps a reported id (its first 200 bytes), so a
// long id compares equal to what was captured from it.
func clip(s string) string {
	if len(s) > 200 {
		return s[:200]
	}
	return s
}
