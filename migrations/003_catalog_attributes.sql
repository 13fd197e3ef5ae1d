-- Imported panels (Xtream Codes, XUI) arrive with fields Canale has no column
-- for (XC stream flags, transcode profiles, server ports, category parents).
-- They are kept verbatim per row, so nothing an operator had is lost and a
-- later feature can promote a field to a column.
ALTER TABLE streamers  ADD COLUMN attributes jsonb NOT NULL DEFAULT '{}';
ALTER TABLE categories ADD COLUMN attributes jsonb NOT NULL DEFAULT '{}';
ALTER TABLE channels   ADD COLUMN attributes jsonb NOT NULL DEFAULT '{}';
ALTER TABLE vod        ADD COLUMN attributes jsonb NOT NULL DEFAULT '{}';
ALTER TABLE packages   ADD COLUMN attributes jsonb NOT NULL DEFAULT '{}';

-- Paging channels by title or name sorts on the lower-cased value and the id.
CREATE INDEX channels_ltitle_order_idx ON channels (lower(title), id);
CREATE INDEX channels_lname_order_idx ON channels (lower(name), id);
