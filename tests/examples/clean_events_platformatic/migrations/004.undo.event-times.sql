PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE events_old (
  id        INTEGER PRIMARY KEY,
  venue_id  INTEGER REFERENCES venues(id),
  title     TEXT NOT NULL,
  starts_at TEXT NOT NULL,
  ends_at   TEXT
);
INSERT INTO events_old (id, venue_id, title, starts_at, ends_at)
SELECT id, venue_id, title, starts_at, ends_at FROM events;
DROP TABLE events;
ALTER TABLE events_old RENAME TO events;
CREATE INDEX events_venue ON events(venue_id);
COMMIT;
PRAGMA foreign_keys = ON;
