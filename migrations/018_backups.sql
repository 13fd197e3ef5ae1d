-- Scheduled backups of the database (canale backup, the scheduler, the
-- desktop's "Back up now"). The schedule is a setting like the others; each
-- run is a row, so the desktop can show the last one whichever instance or
-- command made it.

-- 0 hours turns scheduled backups off; keep is how many backup files the
-- scheduler leaves in the backup directory.
ALTER TABLE settings
    ADD COLUMN backup_interval_hours integer NOT NULL DEFAULT 24 CHECK (backup_interval_hours BETWEEN 0 AND 744),
    ADD COLUMN backup_keep integer NOT NULL DEFAULT 7 CHECK (backup_keep BETWEEN 1 AND 1000);

CREATE TABLE backups (
    id          bigserial PRIMARY KEY,
    trigger     text NOT NULL CHECK (trigger IN ('scheduled', 'manual', 'command')),
    file        text NOT NULL,
    started_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,                        -- NULL while running (or if the process died)
    result      text NOT NULL DEFAULT '' CHECK (result IN ('', 'ok', 'error')),
    error       text NOT NULL DEFAULT '',
    size_bytes  bigint NOT NULL DEFAULT 0
);
CREATE INDEX backups_started_idx ON backups (started_at DESC);
