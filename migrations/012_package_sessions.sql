-- A package says how many streams at once it is sold for. A reseller's
-- subscriber takes its session limit from the packages bought for it (or a
-- lower one the reseller picks), so a reseller can no longer hand out an
-- unlimited account; only an operator may set a subscriber to 0 (no limit).
ALTER TABLE packages ADD COLUMN max_sessions integer NOT NULL DEFAULT 1 CHECK (max_sessions >= 1);
