BEGIN;
CREATE TABLE attendees_old (
  id       INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  email    TEXT NOT NULL COLLATE NOCASE,
  name     TEXT,
  status   TEXT NOT NULL DEFAULT 'going'
);
INSERT INTO attendees_old (id, event_id, email, name, status)
SELECT id, event_id, email, name, status FROM attendees;
DROP TABLE attendees;
ALTER TABLE attendees_old RENAME TO attendees;
CREATE INDEX attendees_event ON attendees(event_id);
CREATE UNIQUE INDEX attendees_event_email ON attendees(event_id, email);
CREATE TRIGGER attendees_take_seat AFTER INSERT ON attendees
WHEN new.status = 'going'
BEGIN
  INSERT INTO event_seats (event_id, taken) VALUES (new.event_id, 1)
  ON CONFLICT (event_id) DO UPDATE SET taken = taken + 1;
END;
CREATE TRIGGER attendees_free_seat AFTER DELETE ON attendees
WHEN old.status = 'going'
BEGIN
  UPDATE event_seats SET taken = taken - 1 WHERE event_id = old.event_id AND taken > 0;
END;
COMMIT;
