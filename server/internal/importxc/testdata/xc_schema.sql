-- A realistic subset of an Xtream UI `xtream_iptvpro` database (column names
-- from spec xtream.md §2.2; types as XC declares them: JSON lives in text,
-- dates are int unix seconds, credits are float).
CREATE TABLE streaming_servers (
  id int(11) NOT NULL AUTO_INCREMENT PRIMARY KEY,
  server_name varchar(255) NOT NULL,
  domain_name mediumtext,
  server_ip varchar(255) DEFAULT NULL,
  vpn_ip varchar(255) NOT NULL DEFAULT '',
  ssh_password mediumtext,
  ssh_port int(11) DEFAULT NULL,
  http_broadcast_port int(11) NOT NULL DEFAULT 25461,
  https_broadcast_port int(11) NOT NULL DEFAULT 25463,
  rtmp_port int(11) NOT NULL DEFAULT 25462,
  total_clients int(11) NOT NULL DEFAULT 0,
  status tinyint(4) NOT NULL DEFAULT 1,
  can_delete tinyint(4) NOT NULL DEFAULT 1
) DEFAULT CHARSET=utf8;

CREATE TABLE stream_categories (
  id int(11) NOT NULL AUTO_INCREMENT PRIMARY KEY,
  category_type varchar(255) NOT NULL,
  category_name varchar(255) NOT NULL,
  parent_id int(11) NOT NULL DEFAULT 0,
  cat_order int(11) NOT NULL DEFAULT 0
) DEFAULT CHARSET=utf8;

CREATE TABLE streams_types (
  type_id int(11) NOT NULL AUTO_INCREMENT PRIMARY KEY,
  type_name varchar(255) NOT NULL,
  type_key varchar(255) NOT NULL,
  type_output varchar(255) NOT NULL,
  live tinyint(4) NOT NULL
) DEFAULT CHARSET=utf8;
INSERT INTO streams_types VALUES (1,'Live Streams','live','live',1),(2,'Movies','movie','movie',0),
  (3,'Created Live Channels','created_live','live',1),(4,'Radio','radio_streams','live',1),(5,'TV Series','series','series',0);

CREATE TABLE streams (
  id int(11) NOT NULL AUTO_INCREMENT PRIMARY KEY,
  type int(11) NOT NULL,
  category_id int(11) DEFAULT NULL,
  stream_display_name mediumtext NOT NULL,
  stream_source mediumtext,
  stream_icon mediumtext NOT NULL,
  notes mediumtext,
  created_channel_location int(11) DEFAULT NULL,
  enable_transcode tinyint(4) NOT NULL DEFAULT 0,
  transcode_attributes mediumtext NOT NULL,
  custom_ffmpeg mediumtext NOT NULL,
  movie_propeties mediumtext,
  movie_subtitles mediumtext NOT NULL,
  read_native tinyint(4) NOT NULL DEFAULT 1,
  target_container text,
  stream_all tinyint(4) NOT NULL DEFAULT 0,
  remove_subtitles tinyint(4) NOT NULL DEFAULT 0,
  custom_sid varchar(150) NOT NULL DEFAULT '',
  epg_id int(11) DEFAULT NULL,
  channel_id varchar(255) DEFAULT NULL,
  epg_lang varchar(255) DEFAULT NULL,
  `order` int(11) NOT NULL DEFAULT 0,
  auto_restart text NOT NULL,
  transcode_profile_id int(11) NOT NULL DEFAULT 0,
  pids_create_channel mediumtext NOT NULL,
  cchannel_rsources mediumtext NOT NULL,
  gen_timestamps tinyint(4) NOT NULL DEFAULT 1,
  added int(11) NOT NULL,
  series_no int(11) NOT NULL DEFAULT 0,
  direct_source tinyint(4) NOT NULL DEFAULT 0,
  tv_archive_duration int(11) NOT NULL DEFAULT 0,
  tv_archive_server_id int(11) NOT NULL DEFAULT 0,
  tv_archive_pid int(11) NOT NULL DEFAULT 0,
  movie_symlink tinyint(4) NOT NULL DEFAULT 0,
  redirect_stream tinyint(4) NOT NULL DEFAULT 0,
  rtmp_output tinyint(4) NOT NULL DEFAULT 0,
  number int(11) NOT NULL DEFAULT 0,
  allow_record tinyint(4) NOT NULL DEFAULT 0,
  probesize_ondemand int(11) NOT NULL DEFAULT 128000,
  custom_map text NOT NULL,
  external_push mediumtext NOT NULL,
  delay_minutes int(11) NOT NULL DEFAULT 0
) DEFAULT CHARSET=utf8;

CREATE TABLE bouquets (
  id int(11) NOT NULL AUTO_INCREMENT PRIMARY KEY,
  bouquet_name mediumtext NOT NULL,
  bouquet_channels mediumtext NOT NULL,
  bouquet_series mediumtext NOT NULL,
  bouquet_order int(16) NOT NULL DEFAULT 0
) DEFAULT CHARSET=utf8;

CREATE TABLE packages (
  id int(11) NOT NULL AUTO_INCREMENT PRIMARY KEY,
  package_name varchar(255) NOT NULL,
  is_trial tinyint(4) NOT NULL,
  is_official tinyint(4) NOT NULL,
  trial_credits float NOT NULL,
  official_credits float NOT NULL,
  trial_duration int(11) NOT NULL,
  trial_duration_in varchar(255) NOT NULL,
  official_duration int(11) NOT NULL,
  official_duration_in varchar(255) NOT NULL,
  `groups` mediumtext NOT NULL,
  bouquets mediumtext NOT NULL,
  can_gen_mag tinyint(4) NOT NULL DEFAULT 0,
  only_mag tinyint(4) NOT NULL DEFAULT 0,
  output_formats mediumtext NOT NULL,
  is_isplock tinyint(4) NOT NULL DEFAULT 0,
  max_connections int(11) NOT NULL DEFAULT 1,
  is_restreamer tinyint(4) NOT NULL DEFAULT 0,
  force_server_id int(11) NOT NULL DEFAULT 0,
  can_gen_e2 tinyint(4) NOT NULL DEFAULT 0,
  only_e2 tinyint(4) NOT NULL DEFAULT 0,
  forced_country varchar(2) NOT NULL DEFAULT '',
  lock_device tinyint(4) NOT NULL DEFAULT 0
) DEFAULT CHARSET=utf8;

CREATE TABLE member_groups (
  group_id int(11) NOT NULL AUTO_INCREMENT PRIMARY KEY,
  group_name mediumtext NOT NULL,
  group_color varchar(7) NOT NULL DEFAULT '#000000',
  is_banned tinyint(4) NOT NULL DEFAULT 0,
  is_admin tinyint(4) NOT NULL DEFAULT 0,
  is_reseller tinyint(4) NOT NULL,
  total_allowed_gen_trials int(11) NOT NULL DEFAULT 0,
  total_allowed_gen_in varchar(255) NOT NULL,
  delete_users tinyint(4) NOT NULL DEFAULT 0,
  allowed_pages text NOT NULL,
  can_delete tinyint(4) NOT NULL DEFAULT 1,
  create_sub_resellers tinyint(4) NOT NULL DEFAULT 0,
  create_sub_resellers_price float NOT NULL DEFAULT 0
) DEFAULT CHARSET=utf8;
INSERT INTO member_groups (group_id, group_name, is_banned, is_admin, is_reseller, total_allowed_gen_in, allowed_pages) VALUES
  (1,'Administrators',0,1,0,'day','[]'),(2,'Registered Users',0,0,0,'day','[]'),(3,'Banned',1,0,0,'day',''),(4,'Resellers',0,0,1,'hours','[]');

CREATE TABLE reg_users (
  id int(11) NOT NULL AUTO_INCREMENT PRIMARY KEY,
  username varchar(50) DEFAULT NULL,
  password varchar(255) NOT NULL,
  email varchar(255) DEFAULT NULL,
  ip varchar(255) DEFAULT NULL,
  date_registered int(11) NOT NULL,
  verify_key mediumtext,
  last_login int(11) DEFAULT NULL,
  member_group_id int(11) NOT NULL,
  verified int(11) NOT NULL DEFAULT 0,
  credits float NOT NULL DEFAULT 0,
  notes mediumtext,
  status tinyint(2) NOT NULL DEFAULT 1,
  default_lang mediumtext NOT NULL,
  reseller_dns text NOT NULL,
  owner_id int(11) NOT NULL DEFAULT 0,
  override_packages text,
  google_2fa_sec varchar(50) NOT NULL DEFAULT ''
) DEFAULT CHARSET=utf8;

CREATE TABLE users (
  id int(11) NOT NULL AUTO_INCREMENT PRIMARY KEY,
  member_id int(11) DEFAULT NULL,
  username varchar(50) NOT NULL,
  password varchar(255) NOT NULL,
  exp_date int(11) DEFAULT NULL,
  admin_enabled int(11) NOT NULL DEFAULT 1,
  enabled int(11) NOT NULL DEFAULT 1,
  admin_notes mediumtext NOT NULL,
  reseller_notes mediumtext NOT NULL,
  bouquet mediumtext NOT NULL,
  max_connections int(11) NOT NULL DEFAULT 1,
  is_restreamer tinyint(4) NOT NULL DEFAULT 0,
  allowed_ips mediumtext NOT NULL,
  allowed_ua mediumtext NOT NULL,
  is_trial tinyint(4) NOT NULL DEFAULT 0,
  created_at int(11) NOT NULL,
  created_by int(11) NOT NULL,
  pair_id int(11) DEFAULT NULL,
  is_mag tinyint(4) NOT NULL DEFAULT 0,
  is_e2 tinyint(4) NOT NULL DEFAULT 0,
  force_server_id int(11) NOT NULL DEFAULT 0,
  is_isplock tinyint(4) NOT NULL DEFAULT 0,
  as_number varchar(30) DEFAULT NULL,
  isp_desc mediumtext,
  forced_country varchar(3) NOT NULL DEFAULT '',
  is_stalker tinyint(4) NOT NULL DEFAULT 0,
  bypass_ua tinyint(4) NOT NULL DEFAULT 0,
  play_token text NOT NULL
) DEFAULT CHARSET=utf8;

CREATE TABLE access_output (
  access_output_id int(11) NOT NULL AUTO_INCREMENT PRIMARY KEY,
  output_name varchar(255) NOT NULL,
  output_key varchar(255) NOT NULL,
  output_ext varchar(255) NOT NULL
) DEFAULT CHARSET=utf8;
INSERT INTO access_output VALUES (1,'HLS','m3u8','m3u8'),(2,'MPEGTS','ts','ts'),(3,'RTMP','rtmp','');

CREATE TABLE user_output (
  id int(11) NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id int(11) NOT NULL,
  access_output_id int(11) NOT NULL
) DEFAULT CHARSET=utf8;

CREATE TABLE epg (
  id int(11) NOT NULL AUTO_INCREMENT PRIMARY KEY,
  epg_name varchar(255) NOT NULL,
  epg_file varchar(300) NOT NULL,
  days_keep int(11) NOT NULL DEFAULT 7,
  last_updated int(11) DEFAULT NULL
) DEFAULT CHARSET=utf8;

-- Series and their episodes (xtream.md §2.2, xtream-series-vod.md §9.2):
-- category_id is an int in older dumps and JSON text in Xtream UI, so text
-- here holds both; an episode is a type-5 `streams` row, placed by
-- series_episodes, whose `sort` acts as the episode number.
CREATE TABLE series (
  id int(11) NOT NULL AUTO_INCREMENT PRIMARY KEY,
  title varchar(255) NOT NULL,
  category_id mediumtext,
  cover varchar(255) NOT NULL DEFAULT '',
  cover_big varchar(255) NOT NULL DEFAULT '',
  genre varchar(255) NOT NULL DEFAULT '',
  plot mediumtext NOT NULL,
  cast mediumtext NOT NULL,
  rating int(11) NOT NULL DEFAULT 0,
  director varchar(255) NOT NULL DEFAULT '',
  releaseDate varchar(255) NOT NULL DEFAULT '',
  last_modified int(11) DEFAULT NULL,
  tmdb_id int(11) DEFAULT NULL,
  seasons mediumtext NOT NULL,
  episode_run_time int(11) NOT NULL DEFAULT 0,
  backdrop_path mediumtext NOT NULL,
  youtube_trailer mediumtext NOT NULL
) DEFAULT CHARSET=utf8;

CREATE TABLE series_episodes (
  id int(11) NOT NULL AUTO_INCREMENT PRIMARY KEY,
  season_num int(11) NOT NULL,
  series_id int(11) NOT NULL,
  stream_id int(11) NOT NULL,
  sort int(11) NOT NULL DEFAULT 0
) DEFAULT CHARSET=utf8;

-- MAG boxes (xtream.md §2.2): user_id is the line; mac is plain or base64
-- of the plain text; the ~60 STB preference columns are left out.
CREATE TABLE mag_devices (
  mag_id int(11) NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id int(11) NOT NULL,
  mac varchar(255) NOT NULL DEFAULT '',
  sn varchar(255) NOT NULL DEFAULT '',
  stb_type varchar(255) NOT NULL DEFAULT '',
  device_id varchar(255) NOT NULL DEFAULT '',
  device_id2 varchar(255) NOT NULL DEFAULT '',
  lock_device tinyint(4) NOT NULL DEFAULT 0,
  ip varchar(255) DEFAULT NULL,
  ver mediumtext,
  image_version varchar(255) NOT NULL DEFAULT ''
) DEFAULT CHARSET=utf8;
