-- Where settings.external_url came from: 'flag' when `canale serve` seeded it
-- from --external-url / CANALE_EXTERNAL_URL (it then follows the flag on the
-- next start), 'settings' when an operator set it through the API (it then
-- wins over the flag). Values set before this column existed were set in the
-- settings.
ALTER TABLE settings ADD COLUMN external_url_source text NOT NULL DEFAULT 'settings'
    CHECK (external_url_source IN ('flag', 'settings'));
