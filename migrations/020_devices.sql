-- Set-top boxes (MAG and apps in "MAC mode") that sign in to the Stalker
-- portal by MAC. A device belongs to one subscriber and plays on their
-- packages and session limit. serial, device_id, device_id2 and hw_version
-- are captured on the first boot; when locked, a boot that sends other
-- values is refused. The portal session token is kept as a SHA-256 only.
CREATE TABLE devices (
    id               bigserial PRIMARY KEY,
    subscriber_id    bigint NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    mac              text NOT NULL UNIQUE,
    serial           text NOT NULL DEFAULT '',
    device_id        text NOT NULL DEFAULT '',
    device_id2       text NOT NULL DEFAULT '',
    hw_version       text NOT NULL DEFAULT '',
    model            text NOT NULL DEFAULT '',
    firmware         text NOT NULL DEFAULT '',
    locked           boolean NOT NULL DEFAULT false,
    last_ip          text NOT NULL DEFAULT '',
    last_seen_at     timestamptz,
    token_hash       bytea,
    token_expires_at timestamptz,
    favourites       bigint[] NOT NULL DEFAULT '{}',
    last_channel_id  bigint NOT NULL DEFAULT 0,
    version          integer NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX devices_subscriber_idx ON devices (subscriber_id);
