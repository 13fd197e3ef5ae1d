-- EPG sources: external XMLTV guides downloaded on a schedule. A source's
-- programmes are replaced as a whole by each successful import, in one
-- transaction, so a broken download never leaves half a guide.
CREATE TABLE epg_sources (
    id              bigserial PRIMARY KEY,
    name            text NOT NULL,
    url             text NOT NULL,
    enabled         boolean NOT NULL DEFAULT true,
    interval_hours  integer NOT NULL DEFAULT 24 CHECK (interval_hours > 0),
    days_keep       integer NOT NULL DEFAULT 7 CHECK (days_keep >= 0),  -- days of past programmes kept
    last_run_at     timestamptz,                                        -- NULL: never run
    last_result     text NOT NULL DEFAULT '' CHECK (last_result IN ('', 'ok', 'error')),
    last_error      text NOT NULL DEFAULT '',
    programme_count integer NOT NULL DEFAULT 0,
    channel_count   integer NOT NULL DEFAULT 0,
    warnings        integer NOT NULL DEFAULT 0,
    bytes           bigint NOT NULL DEFAULT 0,
    duration_ms     bigint NOT NULL DEFAULT 0,
    version         integer NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX epg_sources_name_key ON epg_sources (lower(name));

-- The <channel> elements a source offers, so staff can map channels to EPG ids.
CREATE TABLE epg_channels (
    source_id     bigint NOT NULL REFERENCES epg_sources (id) ON DELETE CASCADE,
    epg_id        text NOT NULL,
    display_names text[] NOT NULL DEFAULT '{}',
    icon          text NOT NULL DEFAULT '',
    PRIMARY KEY (source_id, epg_id)
);
CREATE INDEX epg_channels_epg_id_idx ON epg_channels (epg_id);

-- Programmes always have a stop: a source's programme without one ends when
-- the next programme of its channel starts, and is dropped when none follows.
CREATE TABLE epg_programmes (
    source_id      bigint NOT NULL REFERENCES epg_sources (id) ON DELETE CASCADE,
    channel_epg_id text NOT NULL,
    start_at       timestamptz NOT NULL,
    stop_at        timestamptz NOT NULL CHECK (stop_at > start_at),
    title          text NOT NULL,
    sub_title      text NOT NULL DEFAULT '',
    description    text NOT NULL DEFAULT '',
    categories     text[] NOT NULL DEFAULT '{}',
    episode_system text NOT NULL DEFAULT '',  -- xmltv_ns preferred, else the first system given
    episode        text NOT NULL DEFAULT '',
    icon           text NOT NULL DEFAULT '',
    lang           text NOT NULL DEFAULT ''
);
-- Serves "programmes of these ids between t1 and t2" and "now/next of a channel".
CREATE INDEX epg_programmes_channel_start_idx ON epg_programmes (channel_epg_id, start_at);
-- Serves replacing a source's guide and pruning it.
CREATE INDEX epg_programmes_source_stop_idx ON epg_programmes (source_id, stop_at);
