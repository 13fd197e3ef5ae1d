-- Let's Encrypt: the autocert cache (account key, certificates) lives in
-- PostgreSQL so every instance behind a load balancer serves the same
-- certificate and a restart never asks the CA again.
CREATE TABLE acme_cache (
    key        text PRIMARY KEY,
    data       bytea NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE acme_state (
    id         integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    enabled    boolean NOT NULL DEFAULT false,
    domain     text NOT NULL DEFAULT '',
    email      text NOT NULL DEFAULT '',
    last_error text NOT NULL DEFAULT '',
    updated_at timestamptz NOT NULL DEFAULT now()
);
