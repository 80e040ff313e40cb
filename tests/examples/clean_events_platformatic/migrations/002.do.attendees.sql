CREATE TABLE attendees (
  id       INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  email    TEXT NOT NULL COLLATE NOCASE,
  name     TEXT,
  status   TEXT NOT NULL DEFAULT 'going'
);
CREATE INDEX attendees_event ON attendees(event_id);
