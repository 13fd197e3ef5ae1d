-- Resellers imported from panels (XC reg_users) carry fields with no column
-- of their own (member group, reseller DNS, the panel's password hash); they
-- are kept here, as subscribers.attributes keeps a line's.
ALTER TABLE resellers ADD COLUMN attributes jsonb NOT NULL DEFAULT '{}';
