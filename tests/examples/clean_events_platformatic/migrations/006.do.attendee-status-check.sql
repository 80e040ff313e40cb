-- attendees is a leaf: rebuilt with the keys on, it drops nothing else. Statuses typed
-- by the old admin page are folded first.
BEGIN;
UPDATE attendees SET status = lower(trim(status)) WHERE status <> lower(trim(status));
UPDATE attendees SET status = 'going' WHERE status IN ('yes', 'attending');
UPDATE attendees SET status = 'declined' WHERE status IN ('no', 'cancelled');
UPDATE attendees SET status = 'maybe' WHERE status NOT IN ('going', 'declined', 'maybe');
CREATE TABLE attendees_new (
  id       INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  email    TEXT NOT NULL COLLATE NOCASE,
  name     TEXT,
  status   TEXT NOT NULL DEFAULT 'going' CHECK (status IN ('going', 'declined', 'maybe'))
);
INSERT INTO attendees_new (id, event_id, email, name, status)
SELECT id, event_id, email, name, status FROM attendees;
DROP TABLE attendees;
ALTER TABLE attendees_new RENAME TO attendees;
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
