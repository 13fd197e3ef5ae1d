-- Every subscriber has an HDHomeRun tuner (package hdhomerun): a media server
-- (Plex, Jellyfin, Emby) adds it by /hdhr/<tuner_token>. The token is its own,
-- not the playback token, so resetting one does not break the other, and
-- the media server never learns the token the subscriber's players use.
-- Two random UUIDs give 244 random bits (PostgreSQL 13+ has gen_random_uuid
-- built in, drawn from the strong random source); the volatile default gives
-- each existing row its own token.
ALTER TABLE subscribers ADD COLUMN tuner_token text NOT NULL
    DEFAULT replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '');
CREATE UNIQUE INDEX subscribers_tuner_token_key ON subscribers (tuner_token);
