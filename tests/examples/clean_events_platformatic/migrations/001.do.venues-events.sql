CREATE TABLE venues (
  id       INTEGER PRIMARY KEY,
  name     TEXT NOT NULL,
  city     TEXT NOT NULL,
  capacity INTEGER
);

CREATE TABLE events (
  id        INTEGER PRIMARY KEY,
  venue_id  INTEGER REFERENCES venues(id),
  title     TEXT NOT NULL,
  starts_at TEXT NOT NULL,
  ends_at   TEXT
);
CREATE INDEX events_venue ON events(venue_id);
