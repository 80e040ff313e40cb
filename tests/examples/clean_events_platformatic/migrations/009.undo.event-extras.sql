BEGIN;
DROP INDEX events_day;
DROP INDEX events_online;
ALTER TABLE events DROP COLUMN online_url;
ALTER TABLE events DROP COLUMN extras;
COMMIT;
