-- Session refreshes (updated_at, expires_at, bytes) are the busiest writes
-- of the database: one per live viewer per auth duration. Indexing
-- expires_at made each of them rewrite every index of the row; without it,
-- and with room left on each page, PostgreSQL updates the row in place
-- (a HOT update) and touches no index. The live-session queries find a
-- subscriber's open rows through the partial index and filter expires_at
-- there: a subscriber has a handful of open rows, not thousands.
ALTER TABLE play_sessions SET (fillfactor = 70);
DROP INDEX play_sessions_live_idx;
DROP INDEX play_sessions_open_idx;
CREATE INDEX play_sessions_live_idx ON play_sessions (subscriber_id) WHERE closed_at IS NULL;
