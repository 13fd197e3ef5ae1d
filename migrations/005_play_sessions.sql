-- Play sessions: who watches what, on which streamer, from where. One row per
-- streamer session id (Flussonic's session_id, or an id Canale derives for
-- nginx edges). A session is live while closed_at is NULL and expires_at (last
-- check + a few auth durations) is in the future; nothing has to close rows for
-- the limit to hold, and a sweeper closes expired rows for the history.
CREATE TABLE play_sessions (
    id            bigserial PRIMARY KEY,
    session_id    text NOT NULL,
    subscriber_id bigint NOT NULL,           -- no foreign key: history outlives deleted subscribers
    channel_id    bigint,
    name          text NOT NULL,             -- the stream name the streamer asked about
    streamer_id   bigint,                    -- the registered streamer that asked, when known
    streamer_host text NOT NULL DEFAULT '',  -- the address the request came from
    ip            text NOT NULL DEFAULT '',
    user_agent    text NOT NULL DEFAULT '',
    proto         text NOT NULL DEFAULT '',
    dvr           boolean NOT NULL DEFAULT false,
    bytes         bigint NOT NULL DEFAULT 0,
    opened_at     timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    closed_at     timestamptz,
    close_reason  text NOT NULL DEFAULT ''   -- expired, killed, limit
);
CREATE UNIQUE INDEX play_sessions_session_key ON play_sessions (session_id);
CREATE INDEX play_sessions_live_idx ON play_sessions (subscriber_id, expires_at) WHERE closed_at IS NULL;
CREATE INDEX play_sessions_open_idx ON play_sessions (expires_at) WHERE closed_at IS NULL;
CREATE INDEX play_sessions_history_idx ON play_sessions (subscriber_id, id DESC);
