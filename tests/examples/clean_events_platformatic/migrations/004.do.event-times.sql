-- An event now needs an end: events without one last two hours, and the end may not come
-- before the start. events is a parent (attendees cascade from it) and Platformatic opens
-- SQLite with the keys on, so they are switched off around the rebuild, outside any
-- transaction (where SQLite honours the pragma), and checked before they come back.
PRAGMA foreign_keys = OFF;
BEGIN;
UPDATE events SET ends_at = coalesce(datetime(starts_at, '+2 hours'), starts_at) WHERE ends_at IS NULL;
UPDATE events SET ends_at = starts_at WHERE ends_at < starts_at;
CREATE TABLE events_new (
  id        INTEGER PRIMARY KEY,
  title     TEXT NOT NULL,
  venue_id  INTEGER REFERENCES venues(id),
  starts_at TEXT NOT NULL,
  ends_at   TEXT NOT NULL,
  CHECK (ends_at >= starts_at)
);
INSERT INTO events_new (id, title, venue_id, starts_at, ends_at)
SELECT id, title, venue_id, starts_at, ends_at FROM events;
DROP TABLE events;
ALTER TABLE events_new RENAME TO events;
CREATE INDEX events_venue ON events(venue_id);
COMMIT;
PRAGMA foreign_keys = ON;
