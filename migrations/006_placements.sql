-- Where each channel runs for each placement=one step of its pipeline. The
-- fleet manager keeps its choices here so a restart does not reshuffle the
-- channels across streamers. A step is named by its position (not its id)
-- because editing a pipeline rewrites its steps; a row whose streamer is no
-- longer in the step is ignored and replaced on the next placement.
CREATE TABLE placements (
    channel_id  bigint NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    position    integer NOT NULL,
    streamer_id bigint NOT NULL REFERENCES streamers (id) ON DELETE CASCADE,
    placed_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (channel_id, position)
);
CREATE INDEX placements_streamer_idx ON placements (streamer_id);
