-- The catalog: what operators run their service on. Every entity carries a
-- version for optimistic concurrency (an update names the version it read).

CREATE TABLE streamers (
    id                   bigserial PRIMARY KEY,
    name                 text NOT NULL,
    api_url              text NOT NULL,
    api_login            text NOT NULL DEFAULT '',
    api_password         text NOT NULL DEFAULT '',  -- needed in clear to call the streamer; never returned by the API
    api_key              text NOT NULL DEFAULT '',  -- bearer alternative to login/password; never returned by the API
    public_url           text NOT NULL DEFAULT '',  -- where viewers are redirected; defaults to api_url
    roles                text[] NOT NULL DEFAULT '{}',
    channel_limit        integer NOT NULL DEFAULT 0 CHECK (channel_limit >= 0),        -- 0: no limit
    bandwidth_limit_kbps bigint NOT NULL DEFAULT 0 CHECK (bandwidth_limit_kbps >= 0),  -- 0: no limit
    poll_interval_s      integer NOT NULL DEFAULT 10 CHECK (poll_interval_s > 0),
    timeout_s            integer NOT NULL DEFAULT 30 CHECK (timeout_s > 0),
    autobalancer         boolean NOT NULL DEFAULT false,
    enabled              boolean NOT NULL DEFAULT true,
    version              integer NOT NULL DEFAULT 1,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX streamers_name_key ON streamers (lower(name));

-- Categories group channels and VOD (XC players list them by id, so ids stay stable).
CREATE TABLE categories (
    id         bigserial PRIMARY KEY,
    kind       text NOT NULL CHECK (kind IN ('live', 'vod')),
    name       text NOT NULL,
    position   integer NOT NULL DEFAULT 0,
    version    integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX categories_name_key ON categories (kind, lower(name));

CREATE TABLE pipelines (
    id         bigserial PRIMARY KEY,
    name       text NOT NULL,
    version    integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX pipelines_name_key ON pipelines (lower(name));

CREATE TABLE pipeline_steps (
    id          bigserial PRIMARY KEY,
    pipeline_id bigint NOT NULL REFERENCES pipelines (id) ON DELETE CASCADE,
    position    integer NOT NULL,
    role        text NOT NULL CHECK (role IN ('ingest', 'transcode', 'dvr', 'edge')),
    placement   text NOT NULL CHECK (placement IN ('one', 'all')),
    UNIQUE (pipeline_id, position)
);

-- A streamer in a pipeline cannot be deleted (RESTRICT): the API answers a
-- conflict naming the reference instead of leaving a step with no servers.
CREATE TABLE pipeline_step_streamers (
    step_id     bigint NOT NULL REFERENCES pipeline_steps (id) ON DELETE CASCADE,
    streamer_id bigint NOT NULL REFERENCES streamers (id) ON DELETE RESTRICT,
    PRIMARY KEY (step_id, streamer_id)
);
CREATE INDEX pipeline_step_streamers_streamer_idx ON pipeline_step_streamers (streamer_id);

CREATE TABLE channels (
    id             bigserial PRIMARY KEY,
    name           text NOT NULL CHECK (name ~ '^[a-zA-Z0-9_-]+$'),
    title          text NOT NULL,
    logo_url       text NOT NULL DEFAULT '',   -- external logo; an uploaded one lives in channel_logos
    category_id    bigint REFERENCES categories (id) ON DELETE SET NULL,
    number         integer NOT NULL DEFAULT 0,
    sources        jsonb NOT NULL DEFAULT '[]', -- [{"url": "...", "priority": 1}], in order
    epg_channel_id text NOT NULL DEFAULT '',
    dvr_days       integer NOT NULL DEFAULT 0 CHECK (dvr_days >= 0),
    pipeline_id    bigint REFERENCES pipelines (id) ON DELETE RESTRICT,
    enabled        boolean NOT NULL DEFAULT true,
    free           boolean NOT NULL DEFAULT false,
    version        integer NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX channels_name_key ON channels (name);
CREATE INDEX channels_order_idx ON channels (number, id);
CREATE INDEX channels_title_idx ON channels (lower(title) text_pattern_ops);
CREATE INDEX channels_lname_idx ON channels (lower(name) text_pattern_ops);
CREATE INDEX channels_category_idx ON channels (category_id);
CREATE INDEX channels_pipeline_idx ON channels (pipeline_id);

CREATE TABLE channel_logos (
    channel_id   bigint PRIMARY KEY REFERENCES channels (id) ON DELETE CASCADE,
    content_type text NOT NULL,
    data         bytea NOT NULL,
    sha256       text NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE vod (
    id           bigserial PRIMARY KEY,
    title        text NOT NULL,
    stream_name  text NOT NULL DEFAULT '',
    source_url   text NOT NULL DEFAULT '',
    container    text NOT NULL DEFAULT 'mp4',
    category_id  bigint REFERENCES categories (id) ON DELETE SET NULL,
    poster_url   text NOT NULL DEFAULT '',
    description  text NOT NULL DEFAULT '',
    duration_s   integer NOT NULL DEFAULT 0 CHECK (duration_s >= 0),
    year         integer NOT NULL DEFAULT 0,
    rating       numeric(4,2) NOT NULL DEFAULT 0,
    enabled      boolean NOT NULL DEFAULT true,
    version      integer NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX vod_title_idx ON vod (lower(title) text_pattern_ops);

CREATE TABLE packages (
    id          bigserial PRIMARY KEY,
    name        text NOT NULL,
    description text NOT NULL DEFAULT '',
    price       numeric(14,2) NOT NULL DEFAULT 0 CHECK (price >= 0),
    currency    text NOT NULL DEFAULT '',
    period_days integer NOT NULL DEFAULT 30 CHECK (period_days > 0),
    free        boolean NOT NULL DEFAULT false,  -- every subscriber gets a free package's channels
    version     integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX packages_name_key ON packages (lower(name));

-- Deleting a channel or VOD item removes it from packages (a defined cascade,
-- recorded in the audit log); deleting a package that subscribers hold is refused.
CREATE TABLE package_channels (
    package_id bigint NOT NULL REFERENCES packages (id) ON DELETE CASCADE,
    channel_id bigint NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    position   integer NOT NULL DEFAULT 0,
    PRIMARY KEY (package_id, channel_id)
);
CREATE INDEX package_channels_channel_idx ON package_channels (channel_id);

CREATE TABLE package_vod (
    package_id bigint NOT NULL REFERENCES packages (id) ON DELETE CASCADE,
    vod_id     bigint NOT NULL REFERENCES vod (id) ON DELETE CASCADE,
    position   integer NOT NULL DEFAULT 0,
    PRIMARY KEY (package_id, vod_id)
);
CREATE INDEX package_vod_vod_idx ON package_vod (vod_id);

CREATE TABLE resellers (
    id            bigserial PRIMARY KEY,
    login         text NOT NULL,
    password_hash text NOT NULL,
    name          text NOT NULL DEFAULT '',
    contact       text NOT NULL DEFAULT '',
    credits       numeric(14,2) NOT NULL DEFAULT 0 CHECK (credits >= 0),  -- never below zero, enforced by the database too
    parent_id     bigint REFERENCES resellers (id) ON DELETE RESTRICT,
    status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    notes         text NOT NULL DEFAULT '',
    version       integer NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX resellers_login_key ON resellers (lower(login));
CREATE INDEX resellers_parent_idx ON resellers (parent_id);

CREATE TABLE reseller_tokens (
    id           bigserial PRIMARY KEY,
    reseller_id  bigint NOT NULL REFERENCES resellers (id) ON DELETE CASCADE,
    token_hash   bytea NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    client_ip    text NOT NULL DEFAULT '',
    user_agent   text NOT NULL DEFAULT ''
);
CREATE INDEX reseller_tokens_reseller_idx ON reseller_tokens (reseller_id);

-- What a reseller may sell, at what price in credits.
CREATE TABLE reseller_packages (
    reseller_id   bigint NOT NULL REFERENCES resellers (id) ON DELETE CASCADE,
    package_id    bigint NOT NULL REFERENCES packages (id) ON DELETE CASCADE,
    price_credits numeric(14,2) NOT NULL CHECK (price_credits >= 0),
    PRIMARY KEY (reseller_id, package_id)
);

CREATE TABLE reseller_credit_log (
    id            bigserial PRIMARY KEY,
    reseller_id   bigint NOT NULL REFERENCES resellers (id) ON DELETE CASCADE,
    at            timestamptz NOT NULL DEFAULT now(),
    delta         numeric(14,2) NOT NULL,
    balance_after numeric(14,2) NOT NULL,
    reason        text NOT NULL,
    subscriber_id bigint,
    actor_kind    text NOT NULL DEFAULT '',
    actor_login   text NOT NULL DEFAULT ''
);
CREATE INDEX reseller_credit_log_reseller_idx ON reseller_credit_log (reseller_id, id DESC);

CREATE TABLE subscribers (
    id                  bigserial PRIMARY KEY,
    login               text NOT NULL,
    password_hash       text NOT NULL,
    name                text NOT NULL DEFAULT '',
    contact             text NOT NULL DEFAULT '',
    token               text NOT NULL,           -- playback token, 128-bit random, resettable
    status              text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled', 'banned')),
    expires_at          timestamptz,             -- NULL: never expires
    max_sessions        integer NOT NULL DEFAULT 1 CHECK (max_sessions >= 0),  -- 0: no limit
    allowed_ips         text[] NOT NULL DEFAULT '{}',   -- IPs or CIDRs; empty: any
    allowed_user_agents text[] NOT NULL DEFAULT '{}',   -- substrings; empty: any
    notes               text NOT NULL DEFAULT '',
    reseller_id         bigint REFERENCES resellers (id) ON DELETE RESTRICT,
    balance             numeric(14,2) NOT NULL DEFAULT 0,
    payment_info        text NOT NULL DEFAULT '',
    trial               boolean NOT NULL DEFAULT false,
    attributes          jsonb NOT NULL DEFAULT '{}',  -- imported panel fields with no column of their own (XC flags, locks)
    version             integer NOT NULL DEFAULT 1,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX subscribers_login_key ON subscribers (lower(login));
CREATE UNIQUE INDEX subscribers_token_key ON subscribers (token text_pattern_ops);
CREATE INDEX subscribers_lname_idx ON subscribers (lower(name) text_pattern_ops, id);
CREATE INDEX subscribers_llogin_idx ON subscribers (lower(login) text_pattern_ops);
CREATE INDEX subscribers_status_idx ON subscribers (status, id);
CREATE INDEX subscribers_reseller_idx ON subscribers (reseller_id, id);
CREATE INDEX subscribers_expires_idx ON subscribers (expires_at, id);

CREATE TABLE subscriber_packages (
    subscriber_id bigint NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    package_id    bigint NOT NULL REFERENCES packages (id) ON DELETE RESTRICT,
    PRIMARY KEY (subscriber_id, package_id)
);
CREATE INDEX subscriber_packages_package_idx ON subscriber_packages (package_id, subscriber_id);

-- The installation's settings: one row.
CREATE TABLE settings (
    id              integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    external_url    text NOT NULL DEFAULT '',
    streamer_secret text NOT NULL DEFAULT '',  -- path secret of the streamer-facing endpoints
    data            jsonb NOT NULL DEFAULT '{}',
    version         integer NOT NULL DEFAULT 1,
    updated_at      timestamptz NOT NULL DEFAULT now()
);
