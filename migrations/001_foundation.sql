-- Staff accounts of the admin API and desktop app.
CREATE TABLE admins (
    id            bigserial PRIMARY KEY,
    login         text NOT NULL,
    password_hash text NOT NULL,
    role          text NOT NULL CHECK (role IN ('admin', 'operator')),
    disabled      boolean NOT NULL DEFAULT false,
    version       integer NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX admins_login_key ON admins (lower(login));

-- Bearer tokens of the admin API. Only a SHA-256 of the token is stored, so a
-- leaked table cannot be replayed; the token itself has 256 bits of entropy,
-- which makes a slow hash unnecessary.
CREATE TABLE admin_tokens (
    id           bigserial PRIMARY KEY,
    admin_id     bigint NOT NULL REFERENCES admins (id) ON DELETE CASCADE,
    token_hash   bytea NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    last_used_at timestamptz,
    client_ip    text NOT NULL DEFAULT '',
    user_agent   text NOT NULL DEFAULT ''
);
CREATE INDEX admin_tokens_admin_id_idx ON admin_tokens (admin_id);
CREATE INDEX admin_tokens_expires_at_idx ON admin_tokens (expires_at);

-- Every administrative change: who, what, when, before and after.
CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    actor_kind  text NOT NULL,
    actor_id    bigint,
    actor_login text NOT NULL DEFAULT '',
    action      text NOT NULL,
    entity      text NOT NULL,
    entity_id   text NOT NULL DEFAULT '',
    before      jsonb,
    after       jsonb,
    client_ip   text NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id, id DESC);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);
