-- An EPG source may reach loopback, private and link-local addresses only
-- when an operator allows it for that source: a guide URL must not be a way
-- into the server's own network. Existing sources get false too, so one that
-- points inside the network stops importing, with an error naming the
-- setting, until an operator allows it.
ALTER TABLE epg_sources ADD COLUMN allow_private_network boolean NOT NULL DEFAULT false;
