-- Staff accounts: an optional TOTP second factor (RFC 6238) per account,
-- demanded by an admin with totp_required, and one-use recovery codes.
-- totp_secret is read only by sign-in and never returned after enrolment;
-- totp_pending holds the secret offered at enrolment until a code proves the
-- authenticator has it. totp_last_step is the time step of the last code
-- accepted, so a code cannot be replayed within its window.
ALTER TABLE admins
    ADD COLUMN totp_secret    text    NOT NULL DEFAULT '',
    ADD COLUMN totp_pending   text    NOT NULL DEFAULT '',
    ADD COLUMN totp_enabled   boolean NOT NULL DEFAULT false,
    ADD COLUMN totp_required  boolean NOT NULL DEFAULT false,
    ADD COLUMN totp_last_step bigint  NOT NULL DEFAULT 0;

-- Only a SHA-256 of each recovery code is kept: they are random and long,
-- like bearer tokens.
CREATE TABLE admin_recovery_codes (
    id        bigserial PRIMARY KEY,
    admin_id  bigint NOT NULL REFERENCES admins (id) ON DELETE CASCADE,
    code_hash bytea  NOT NULL,
    used_at   timestamptz,
    UNIQUE (admin_id, code_hash)
);
