-- Refused plays: every play check the server refused, so a NOC can answer
-- "why can't this customer watch". Rows are written in batches by the play
-- authorizer's background writer and pruned after 24 hours. No foreign keys:
-- a refusal outlives a deleted subscriber or channel, and a batch must never
-- fail because one of them went away meanwhile.
CREATE TABLE play_refusals (
    id            bigserial PRIMARY KEY,
    at            timestamptz NOT NULL,
    subscriber_id bigint,                    -- whose token it was, when the token was known
    channel_id    bigint,                    -- the channel asked for, when known
    name          text NOT NULL DEFAULT '',  -- the stream name the streamer asked about
    streamer_id   bigint,                    -- the registered streamer that asked, when known
    streamer_host text NOT NULL DEFAULT '',
    ip            text NOT NULL DEFAULT '',
    user_agent    text NOT NULL DEFAULT '',
    proto         text NOT NULL DEFAULT '',
    reason        text NOT NULL              -- a playauth reason code: expired, disabled, not_in_package, ...
);
CREATE INDEX play_refusals_at_idx ON play_refusals (at);
CREATE INDEX play_refusals_subscriber_idx ON play_refusals (subscriber_id, id DESC);
