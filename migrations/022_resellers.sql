-- The operator's rules for each reseller (issue 18). A reseller with no row
-- here has the defaults: no trials, no sub-resellers, no killing of
-- connections, no DNS of its own, no refund on delete.
CREATE TABLE reseller_rules (
    reseller_id            bigint PRIMARY KEY REFERENCES resellers (id) ON DELETE CASCADE,
    trials_per_day         integer NOT NULL DEFAULT 0 CHECK (trials_per_day >= 0),
    trials_per_month       integer NOT NULL DEFAULT 0 CHECK (trials_per_month >= 0),
    trial_package_id       bigint REFERENCES packages (id) ON DELETE SET NULL,
    trial_hours            integer NOT NULL DEFAULT 24 CHECK (trial_hours BETWEEN 1 AND 744),
    may_create_resellers   boolean NOT NULL DEFAULT false,
    max_depth              integer NOT NULL DEFAULT 0 CHECK (max_depth >= 0),
    min_login_length       integer NOT NULL DEFAULT 1 CHECK (min_login_length BETWEEN 1 AND 64),
    min_password_length    integer NOT NULL DEFAULT 1 CHECK (min_password_length BETWEEN 1 AND 128),
    may_kill_connections   boolean NOT NULL DEFAULT false,
    dns                    text NOT NULL DEFAULT '',
    refund_unused_on_delete boolean NOT NULL DEFAULT false
);

-- The balance before each movement, so a log row reads on its own.
ALTER TABLE reseller_credit_log ADD COLUMN balance_before numeric(14,2);
UPDATE reseller_credit_log SET balance_before = balance_after - delta;

-- Trials are counted per reseller per day and month; this keeps the count
-- an index range however many paid lines the reseller has.
CREATE INDEX subscribers_reseller_trial_idx ON subscribers (reseller_id, created_at) WHERE trial;

-- A reseller's activity log reads the audit log by actor.
CREATE INDEX audit_log_reseller_idx ON audit_log (actor_id, id DESC) WHERE actor_kind = 'reseller';
