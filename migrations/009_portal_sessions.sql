-- Customer portal sign-ins. The cookie carries a random token; only its
-- SHA-256 is kept, so a copy of this table cannot be replayed as cookies.
-- Each session has its own CSRF synchronizer token, sent back in every form.
CREATE TABLE portal_sessions (
    id            bigserial PRIMARY KEY,
    subscriber_id bigint NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    token_hash    bytea NOT NULL UNIQUE,
    csrf_token    text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    client_ip     text NOT NULL DEFAULT '',
    user_agent    text NOT NULL DEFAULT ''
);
CREATE INDEX portal_sessions_subscriber_idx ON portal_sessions (subscriber_id);
CREATE INDEX portal_sessions_expires_idx ON portal_sessions (expires_at);
