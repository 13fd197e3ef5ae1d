-- The customer portal's favourites and recently watched channels, kept per
-- subscriber so they follow the subscriber from the phone to the TV.
-- Neither is audited: they are the subscriber's own preferences, not
-- something an operator answers for. Recently watched holds at most the
-- last few channels per subscriber (the store trims it on every write).
CREATE TABLE subscriber_favourites (
    subscriber_id bigint NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    channel_id    bigint NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (subscriber_id, channel_id)
);

CREATE TABLE subscriber_recent_channels (
    subscriber_id bigint NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    channel_id    bigint NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    watched_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (subscriber_id, channel_id)
);
CREATE INDEX subscriber_recent_channels_watched_idx ON subscriber_recent_channels (subscriber_id, watched_at DESC);
