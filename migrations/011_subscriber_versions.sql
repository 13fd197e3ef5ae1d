-- Every instance keeps a million subscribers in memory and checks them
-- against the database every few minutes, in case a change notification
-- was lost. That check compares each row's version with the one held in
-- memory, so any edit must bump the version. Canale's own writes already
-- do. These triggers cover edits made outside Canale: SQL typed by hand,
-- or another tool.

-- An UPDATE that leaves the version alone gets the next one.
CREATE FUNCTION subscribers_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.version = OLD.version AND NEW IS DISTINCT FROM OLD THEN
        NEW.version := OLD.version + 1;
        NEW.updated_at := now();
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER subscribers_bump_version BEFORE UPDATE ON subscribers
    FOR EACH ROW EXECUTE FUNCTION subscribers_bump_version();

-- A change of a subscriber's packages bumps the subscriber, unless this
-- transaction already wrote that row. Canale writes the row first, under
-- the version its editor read, and bumps it there, so a second bump would
-- only turn the editor's next save into a false conflict. One statement
-- per changed statement, not per row: an import adds a million links.
CREATE FUNCTION subscriber_packages_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    -- xmin is the 32-bit transaction id; the current one comes as 64 bits.
    current_xid bigint := pg_current_xact_id()::text::bigint % 4294967296;
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE subscribers s SET version = s.version + 1, updated_at = now()
          FROM (SELECT DISTINCT subscriber_id FROM new_links) c
         WHERE s.id = c.subscriber_id AND s.xmin::text::bigint <> current_xid;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE subscribers s SET version = s.version + 1, updated_at = now()
          FROM (SELECT DISTINCT subscriber_id FROM old_links) c
         WHERE s.id = c.subscriber_id AND s.xmin::text::bigint <> current_xid;
    ELSE
        UPDATE subscribers s SET version = s.version + 1, updated_at = now()
          FROM (SELECT subscriber_id FROM new_links UNION SELECT subscriber_id FROM old_links) c
         WHERE s.id = c.subscriber_id AND s.xmin::text::bigint <> current_xid;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER subscriber_packages_insert_bump AFTER INSERT ON subscriber_packages
    REFERENCING NEW TABLE AS new_links
    FOR EACH STATEMENT EXECUTE FUNCTION subscriber_packages_bump_version();
CREATE TRIGGER subscriber_packages_delete_bump AFTER DELETE ON subscriber_packages
    REFERENCING OLD TABLE AS old_links
    FOR EACH STATEMENT EXECUTE FUNCTION subscriber_packages_bump_version();
CREATE TRIGGER subscriber_packages_update_bump AFTER UPDATE ON subscriber_packages
    REFERENCING NEW TABLE AS new_links OLD TABLE AS old_links
    FOR EACH STATEMENT EXECUTE FUNCTION subscriber_packages_bump_version();
