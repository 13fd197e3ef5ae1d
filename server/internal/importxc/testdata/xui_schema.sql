-- A realistic subset of an XUI.one `xui` database (spec xtream.md §2.1,
-- §2.2): lines instead of users, panel users in `users`, JSON category ids.
CREATE TABLE servers (
  id int(11) NOT NULL AUTO_INCREMENT PRIMARY KEY,
  server_name varchar(255) DEFAULT NULL,
  domain_name text,
  server_ip varchar(255) DEFAULT NULL,
  private_ip varchar(255) DEFAULT NULL,
  is_main tinyint(4) NOT NULL DEFAULT 0,
  server_type tinyint(4) NOT NULL DEFAULT 0,
  http_broadcast_port int(11) DEFAULT 80,
  enabled tinyint(4) NOT NULL DEFAULT 1
);
CREATE TABLE streams_categories (
  id int(11) NOT NULL AUTO_INCREMENT PRIMARY KEY,
  category_type varchar(255) DEFAULT NULL,
  category_name varchar(255) DEFAULT NULL,
  parent_id int(11) DEFAULT 0,
  cat_order int(11) DEFAULT 0,
  is_adult tinyint(4) NOT NULL DEFAULT 0
);
CREATE TABLE streams_types (
  type_id int(11) NOT NULL AUTO_INCREMENT PRIMARY KEY,
  type_name varchar(255) DEFAULT NULL,
  type_key varchar(255) DEFAULT NULL,
  type_output varchar(255) DEFAULT NULL,
  live tinyint(4) DEFAULT NULL
);
INSERT INTO streams_types VALUES (1,'Live Streams','live','live',1),(2,'Movies','movie','movie',0),
  (3,'Created Live Channels','created_live','live',1),(4,'Radio','radio_streams','live',1),(5,'TV Series','series','series',0);
CREATE TABLE streams (
  id int(11) NOT NULL AUTO_INCREMENT PRIMARY KEY,
  type int(11) DEFAULT NULL,
  category_id text,
  stream_display_name text,
  stream_source mediumtext,
  stream_icon text,
  notes text,
  movie_properties mediumtext,
  target_container text,
  channel_id varchar(255) DEFAULT NULL,
  epg_offset int(11) DEFAULT 0,
  `order` int(11) DEFAULT 0,
  added int(11) DEFAULT NULL,
  tv_archive_duration int(11) DEFAULT 0,
  year int(11) DEFAULT NULL,
  rating float DEFAULT 0,
  tmdb_id int(11) DEFAULT NULL,
  uuid varchar(32) DEFAULT NULL
);
CREATE TABLE bouquets (
  id int(11) NOT NULL AUTO_INCREMENT PRIMARY KEY,
  bouquet_name mediumtext,
  bouquet_channels mediumtext,
  bouquet_movies mediumtext,
  bouquet_radios mediumtext,
  bouquet_series mediumtext,
  bouquet_order int(11) DEFAULT 0
);
CREATE TABLE users_groups (
  group_id int(11) NOT NULL AUTO_INCREMENT PRIMARY KEY,
  group_name mediumtext,
  is_admin tinyint(4) DEFAULT 0,
  is_reseller tinyint(4) DEFAULT 0,
  allowed_pages text,
  subresellers text
);
INSERT INTO users_groups VALUES (1,'Administrators',1,0,'[]','[]'),(2,'Resellers',0,1,'[]','[]');
CREATE TABLE users (
  id int(11) NOT NULL AUTO_INCREMENT PRIMARY KEY,
  username varchar(50) DEFAULT NULL,
  password varchar(255) DEFAULT NULL,
  email varchar(255) DEFAULT NULL,
  date_registered int(11) DEFAULT NULL,
  member_group_id int(11) DEFAULT NULL,
  credits float DEFAULT 0,
  notes mediumtext,
  status tinyint(2) DEFAULT 1,
  owner_id int(11) DEFAULT 0,
  api_key varchar(64) DEFAULT NULL,
  timezone varchar(64) DEFAULT NULL
);
CREATE TABLE users_packages (
  id int(11) NOT NULL AUTO_INCREMENT PRIMARY KEY,
  package_name varchar(255) DEFAULT NULL,
  bouquets text,
  official_credits float DEFAULT 0,
  is_line tinyint(4) DEFAULT 1
);
CREATE TABLE `lines` (
  id int(11) NOT NULL AUTO_INCREMENT PRIMARY KEY,
  member_id int(11) DEFAULT NULL,
  username varchar(255) DEFAULT NULL,
  password varchar(255) DEFAULT NULL,
  last_ip varchar(255) DEFAULT NULL,
  exp_date int(11) DEFAULT NULL,
  admin_enabled tinyint(4) DEFAULT 1,
  enabled tinyint(4) DEFAULT 1,
  admin_notes mediumtext,
  reseller_notes mediumtext,
  bouquet mediumtext,
  allowed_outputs mediumtext,
  max_connections int(11) DEFAULT 1,
  is_restreamer tinyint(4) DEFAULT 0,
  is_trial tinyint(4) DEFAULT 0,
  is_mag tinyint(4) DEFAULT 0,
  is_e2 tinyint(4) DEFAULT 0,
  is_stalker tinyint(4) DEFAULT 0,
  is_isplock tinyint(4) DEFAULT 0,
  allowed_ips mediumtext,
  allowed_ua mediumtext,
  created_at int(11) DEFAULT NULL,
  pair_id int(11) DEFAULT NULL,
  forced_country varchar(255) DEFAULT NULL,
  package_id int(11) DEFAULT NULL,
  access_token varchar(32) DEFAULT NULL,
  contact varchar(255) DEFAULT NULL,
  last_activity int(11) DEFAULT NULL,
  updated timestamp NULL DEFAULT NULL
);
CREATE TABLE streams_series (
  id int(11) NOT NULL AUTO_INCREMENT PRIMARY KEY,
  title mediumtext,
  category_id mediumtext,
  cover mediumtext,
  cover_big mediumtext,
  genre mediumtext,
  plot mediumtext,
  cast mediumtext,
  rating float DEFAULT 0,
  director mediumtext,
  release_date mediumtext,
  last_modified int(11) DEFAULT NULL,
  tmdb_id int(11) DEFAULT NULL,
  seasons mediumtext,
  episode_run_time int(11) DEFAULT 0,
  backdrop_path mediumtext,
  youtube_trailer mediumtext,
  tmdb_language varchar(32) DEFAULT NULL,
  year int(4) DEFAULT NULL
);
CREATE TABLE streams_episodes (
  id int(11) NOT NULL AUTO_INCREMENT PRIMARY KEY,
  season_num int(11) DEFAULT NULL,
  episode_num int(11) DEFAULT NULL,
  series_id int(11) DEFAULT NULL,
  stream_id int(11) DEFAULT NULL
);
