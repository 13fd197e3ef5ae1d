package storetest

import "fmt"

// The previous release's schema is the one migration 011 left: upgrade and
// restore tests build it with store.MigrateTo and fill it with
// ReleaseSeedSQL.
const ReleaseMigration = "011_subscriber_versions.sql"

// Fixtures of ReleaseSeedSQL that tests check after an upgrade or a restore.
const (
	ReleaseSecret     = "0123456789abcdef0123456789abcdef"
	ReleaseChannel    = "news"
	ReleaseAdmin      = "noc-admin"
	ReleaseReseller   = "north-reseller"
	ReleaseResellerID = 1
	ReleaseCredits    = "480.50"
)

// ReleaseTokens are the playback tokens of the seed's subscribers, all
// active, unexpired and holding the package with ReleaseChannel.
var ReleaseTokens = []string{"4f1c2a9d0b7e44a1a3c5d6e7f8091a2b", "9a8b7c6d5e4f30211a2b3c4d5e6f7081", "c0ffee00c0ffee00c0ffee00c0ffee00"}

// ReleaseSeedSQL fills every table of the release schema with rows as the
// release wrote them: an admin and an operator with a session, a streamer
// fleet in a pipeline, channels with a logo, VOD, packages, a reseller with
// credits, a price list and a credit log, subscribers with tokens (one
// direct, two of the reseller), live and closed play sessions, placements,
// ACME state, an EPG source with its guide, a portal session and audit rows.
// adminHash and subscriberHash are password hashes the test made, so it can
// sign in with the passwords.
func ReleaseSeedSQL(adminHash, resellerHash, subscriberHash string) string {
	return fmt.Sprintf(`
INSERT INTO admins (id, login, password_hash, role) VALUES
  (1, '%[4]s', '%[1]s', 'admin'), (2, 'night-shift', '%[1]s', 'operator');
INSERT INTO admin_tokens (admin_id, token_hash, expires_at, client_ip, user_agent) VALUES
  (1, sha256('admin-token-1'), now() + interval '12 hours', '10.1.1.1', 'canale-admin/0.1');
INSERT INTO audit_log (actor_kind, actor_id, actor_login, action, entity, entity_id, before, after, client_ip) VALUES
  ('admin', 1, '%[4]s', 'create', 'subscriber', '1', NULL, '{"login": "anna"}', '10.1.1.1'),
  ('system', NULL, 'setup init', 'create', 'admin', '1', NULL, '{"login": "%[4]s"}', '');
INSERT INTO streamers (id, name, api_url, api_login, api_password, public_url, roles, poll_interval_s) VALUES
  (1, 'ingest-1', 'http://10.0.0.11:80', 'flussonic', 'pw1', 'http://ingest1.example.com', '{ingest}', 10),
  (2, 'edge-1', 'http://10.0.0.21:80', 'flussonic', 'pw2', 'http://edge1.example.com', '{edge}', 10);
INSERT INTO categories (id, kind, name, position) VALUES (1, 'live', 'News', 1), (2, 'vod', 'Films', 1);
INSERT INTO pipelines (id, name) VALUES (1, 'standard');
INSERT INTO pipeline_steps (id, pipeline_id, position, role, placement) VALUES (1, 1, 1, 'ingest', 'one'), (2, 1, 2, 'edge', 'all');
INSERT INTO pipeline_step_streamers (step_id, streamer_id) VALUES (1, 1), (2, 2);
INSERT INTO channels (id, name, title, category_id, number, sources, epg_channel_id, dvr_days, pipeline_id) VALUES
  (1, '%[5]s', 'News 24', 1, 1, '[{"url": "udp://239.0.0.1:1234", "priority": 1}]', 'news.example', 3, 1),
  (2, 'sport', 'Sport', 1, 2, '[{"url": "udp://239.0.0.2:1234", "priority": 1}]', 'sport.example', 0, 1);
INSERT INTO channel_logos (channel_id, content_type, data, sha256) VALUES
  (1, 'image/png', '\x89504e470d0a1a0a', encode(sha256('\x89504e470d0a1a0a'), 'hex'));
INSERT INTO vod (id, title, stream_name, container, category_id, duration_s, year, rating) VALUES
  (1, 'A Film', 'vod/film1', 'mp4', 2, 5400, 2024, 7.5);
INSERT INTO packages (id, name, price, currency, period_days) VALUES (1, 'Basic', 9.99, 'EUR', 30), (2, 'Films', 4.99, 'EUR', 30);
INSERT INTO package_channels (package_id, channel_id, position) VALUES (1, 1, 1), (1, 2, 2);
INSERT INTO package_vod (package_id, vod_id, position) VALUES (2, 1, 1);
INSERT INTO resellers (id, login, password_hash, name, credits) VALUES (1, '%[6]s', '%[2]s', 'North Ltd', %[7]s);
INSERT INTO reseller_tokens (reseller_id, token_hash, expires_at) VALUES (1, sha256('reseller-token-1'), now() + interval '12 hours');
INSERT INTO reseller_packages (reseller_id, package_id, price_credits) VALUES (1, 1, 9.50);
INSERT INTO reseller_credit_log (reseller_id, delta, balance_after, reason, subscriber_id, actor_kind, actor_login) VALUES
  (1, 500, 500, 'top-up', NULL, 'admin', '%[4]s'), (1, -19.50, %[7]s, 'create subscriber', 2, 'reseller', '%[6]s');
INSERT INTO subscribers (id, login, password_hash, name, token, expires_at, max_sessions, reseller_id, attributes) VALUES
  (1, 'anna', '%[3]s', 'Anna Rossi', '%[8]s', now() + interval '30 days', 2, NULL, '{}'),
  (2, 'boris', '%[3]s', 'Boris Ivanov', '%[9]s', now() + interval '60 days', 1, 1, '{"is_restreamer": "0"}'),
  (3, 'carla', '%[3]s', 'Carla Silva', '%[10]s', NULL, 0, 1, '{}');
INSERT INTO subscriber_packages (subscriber_id, package_id) VALUES (1, 1), (1, 2), (2, 1), (3, 1);
INSERT INTO settings (id, external_url, streamer_secret, data) VALUES (1, 'https://iptv.example.com', '%[11]s', '{"auth_duration_s": 30}');
INSERT INTO play_sessions (session_id, subscriber_id, channel_id, name, streamer_id, ip, proto, expires_at, closed_at, close_reason) VALUES
  ('s-old', 1, 1, '%[5]s', 2, '192.0.2.10', 'hls', now() - interval '1 hour', now() - interval '1 hour', 'expired');
INSERT INTO placements (channel_id, position, streamer_id) VALUES (1, 1, 1), (2, 1, 1);
INSERT INTO acme_cache (key, data) VALUES ('acme_account+key', '\x3082');
INSERT INTO acme_state (id, enabled, domain, email) VALUES (1, false, 'iptv.example.com', 'noc@example.com');
INSERT INTO epg_sources (id, name, url, last_run_at, last_result, programme_count, channel_count) VALUES
  (1, 'Main guide', 'http://epg.example.com/guide.xml.gz', now() - interval '2 hours', 'ok', 2, 1);
INSERT INTO epg_channels (source_id, epg_id, display_names) VALUES (1, 'news.example', '{"News 24"}');
INSERT INTO epg_programmes (source_id, channel_epg_id, start_at, stop_at, title) VALUES
  (1, 'news.example', now(), now() + interval '1 hour', 'Morning News'),
  (1, 'news.example', now() + interval '1 hour', now() + interval '2 hours', 'Weather');
INSERT INTO portal_sessions (subscriber_id, token_hash, csrf_token, expires_at) VALUES
  (1, sha256('portal-1'), 'csrf-1', now() + interval '1 day');
SELECT setval('admins_id_seq', 2), setval('streamers_id_seq', 2), setval('categories_id_seq', 2),
       setval('pipelines_id_seq', 1), setval('pipeline_steps_id_seq', 2), setval('channels_id_seq', 2),
       setval('vod_id_seq', 1), setval('packages_id_seq', 2), setval('resellers_id_seq', 1),
       setval('subscribers_id_seq', 3), setval('epg_sources_id_seq', 1);`,
		adminHash, resellerHash, subscriberHash, ReleaseAdmin, ReleaseChannel, ReleaseReseller, ReleaseCredits,
		ReleaseTokens[0], ReleaseTokens[1], ReleaseTokens[2], ReleaseSecret)
}
