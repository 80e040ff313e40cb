-- seats left per event, kept by triggers; an RSVP past capacity is waitlisted
BEGIN;
CREATE TABLE event_seats (
  event_id INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
  taken    INTEGER NOT NULL DEFAULT 0 CHECK (taken >= 0)
) STRICT;
INSERT INTO event_seats (event_id, taken)
SELECT e.id, (SELECT COUNT(*) FROM attendees AS a WHERE a.event_id = e.id AND a.status = 'going')
FROM events AS e;
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
