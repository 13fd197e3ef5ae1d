// Package importxc imports an Xtream Codes, Xtream UI or XUI.one MySQL
// database into Canale's catalog (`canale import xc`).
//
// The source is read inside one read-only REPEATABLE READ MySQL transaction
// (a consistent snapshot, so the old panel may keep running), and everything
// is written in ONE PostgreSQL transaction through store.CatalogImport with
// COPY: a failed import — bad data, a lost MySQL connection, Ctrl-C —
// leaves the Canale database exactly as it was. A dry run does the whole
// import, constraints included, and rolls back.
//
// The dialect is detected by table: `lines` means XUI.one, `users` with
// `user_output` (or `reg_users`) means XC / Xtream UI. Every column is read
// by name and optional, and JSON-in-text columns are decoded defensively
// ("[]", the empty string, NULL, bare scalars, strings instead of ints, PHP-escaped
// slashes).
//
// # Mapping
//
// XC ids are kept as Canale ids for streamers, categories, channels, VOD,
// series, episodes, packages, resellers and subscribers, because apps cache
// stream and series ids and saved /live/USER/PASS/ID and /series/USER/PASS/ID
// URLs name them; the id sequences are then set past the highest imported id
// (the movies' one past movies and episodes, which share it).
//
//	XC / XUI                          Canale
//	streaming_servers / servers       streamers (id kept; disabled; api_url http://<first domain or IP>)
//	stream_categories / streams_categories
//	  live, radio                     categories kind live (id kept)
//	  movie                           categories kind vod (id kept)
//	  series                          categories kind series (id kept)
//	streams type live, created_live,  channels (id kept): name = slug of stream_display_name
//	  radio_streams                     ([a-z0-9_], transliterated, unique: "_<id>" appended when
//	                                    taken), title = stream_display_name, sources = stream_source
//	                                    [{url, priority}], logo_url = stream_icon, epg_channel_id =
//	                                    channel_id, dvr_days = tv_archive_duration, number = order,
//	                                    category_id = category_id (XUI: first live one of the list)
//	stream_source s:N:/path, /path    a file on an XC server: movies and episodes get stream_name =
//	                                    the VOD storage path (--vod-path DIR=PREFIX, else a directory
//	                                    of the path named like a vod_storages prefix), or are imported
//	                                    disabled; a channel's file sources are left out; all reported
//	streams type movie                VOD (id kept): title, source_url = first stream_source,
//	                                    container = target_container, poster/plot/year/rating/
//	                                    duration from movie_propeties (XUI movie_properties)
//	series / streams_series           series (id kept): title, category_id (int or JSON list),
//	                                    cover (else cover_big), plot, cast, director, genre,
//	                                    releaseDate / release_date, rating, backdrop_path,
//	                                    youtube_trailer, tmdb_id (digits only), episode_run_time
//	series_episodes / streams_episodes seasons, one per (series, season_num) with episodes (name,
//	                                    overview, cover, air_date from the series' seasons JSON);
//	                                    episode_num (XUI) or sort (XC) as the episode number, a
//	                                    missing or taken one numbered after the season's last
//	streams type series               episodes (id kept = the stream id of /series/ URLs), placed
//	                                    by their episode row: title, source_url, container as for
//	                                    movies; plot, duration, rating, releasedate, movie_image,
//	                                    tmdb_id from movie_propeties. Unplaced ones are skipped
//	bouquets                          packages (id kept): bouquet_channels/_movies/_radios →
//	                                    package_channels and package_vod, in bouquet order;
//	                                    bouquet_series → package_series
//	packages / users_packages         sale packages: each becomes a package (id = highest bouquet id
//	                                    + its id; name kept, "(N)" when a bouquet has it) holding its
//	                                    bouquets' channels, VOD and series, period_days = official
//	                                    duration (hours/days/months/years; trial duration when not
//	                                    official); every imported reseller of its `groups` sells it at
//	                                    official_credits (reseller_packages); the first trial one of a
//	                                    group is its resellers' trial package for trial_duration hours
//	                                    (1–744). Neither trial nor official, or no imported bouquet:
//	                                    skipped. A line sold with it (XUI lines.package_id) holds
//	                                    its package too; one naming an offer not imported is noted
//	member_groups / users_groups      classify panel users, and give each reseller's rules:
//	                                    total_allowed_gen_trials per total_allowed_gen_in → trials per
//	                                    day and month, create_sub_resellers → may_create_resellers (1
//	                                    level), minimum_username/password_length; reseller_dns → dns
//	reg_users / users (panel)         resellers (id kept), except admin groups (skipped):
//	                                    login = username, password_hash = the "$6$" SHA-512 crypt
//	                                    hash verbatim (credential.VerifyPassword accepts it; any
//	                                    other value becomes "!reset-required", which matches no
//	                                    password), contact = email, credits = credits (negative → 0),
//	                                    parent_id = owner_id when imported (loops cut), status
//	                                    disabled when status ≠ 1 or the group is banned
//	users (XC) / lines (XUI)          subscribers (id kept): login = username verbatim, password =
//	                                    argon2id of the plaintext password (hashed on every core),
//	                                    token = play_token/access_token when ≥128 bits and URL-safe
//	                                    (else new), expires_at = exp_date (NULL/0 → never), status
//	                                    banned when admin_enabled = 0, else disabled when enabled = 0,
//	                                    max_sessions = max_connections, allowed_ips/allowed_ua →
//	                                    arrays, bouquet (+ package_id's sale package) →
//	                                    subscriber_packages, member_id →
//	                                    reseller_id (when imported), is_trial → trial, admin_notes +
//	                                    reseller_notes → notes, contact (XUI), created_at;
//	                                    attributes = {xc_id, is_restreamer, is_mag, is_e2,
//	                                    is_stalker, is_isplock, bypass_ua, forced_country,
//	                                    force_server_id, as_number, isp_desc, pair_id, created_by,
//	                                    package_id, last_ip, last_activity, allowed_outputs}
//	user_output / allowed_outputs     attributes.allowed_outputs (["m3u8","ts","rtmp"])
//	mag_devices                       devices (id = mag_id) of the line's subscriber: mac plain or
//	                                    base64 of it (normalized 00:1A:79:…), sn → serial,
//	                                    device_id, device_id2, stb_type → model, ver (else
//	                                    image_version) → firmware, lock_device → locked; skipped
//	                                    when the line was not imported, the MAC is not one, or an
//	                                    earlier row has it
//	epg                               EPG sources (new ids after Canale's, enabled, daily, days_keep
//	                                    kept); one Canale has by name or URL is skipped. Channels find
//	                                    their guide by XMLTV id (channel_id), so epg_id needs no
//	                                    mapping; channels of a source not imported are counted
//	enigma2_devices                   attributes.e2_devices of the line's subscriber (mac, modem_mac,
//	                                    local_ip, enigma_version, cpu, lversion, locked), not devices:
//	                                    Canale's devices sign in to the Stalker portal by MAC, which
//	                                    XC never allowed an Enigma2 MAC; the box plays through the
//	                                    line's player_api / get.php like any XC plugin
//	enigma2_actions, credits_log, …   not imported; counted in the report
//
// Device-only lines (is_mag / is_e2) keep the flags in attributes and sign
// in on player_api as any line: XC_VM's player_api.php checks only
// admin_enabled, enabled and exp_date (original XC 2.x is closed source:
// UNCONFIRMED). As XC_VM, Canale refuses them on get.php, and a MAG line's
// streams outside its portal, with DEVICE_NOT_ALLOWED: the read model
// decodes the two attributes into api.DeviceOnly.
// Their MAG boxes boot on the Stalker portal as devices (mag_devices).
//
// Rows that cannot be imported (no id, a login taken case-insensitively by
// an earlier row, an unknown type) are skipped and listed in the Report with
// the reason; renames (taken names) are listed as notes.
package importxc
