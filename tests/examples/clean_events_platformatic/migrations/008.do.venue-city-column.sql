-- city becomes locality (the API says so); the view reading it is made again
BEGIN;
DROP VIEW upcoming;
ALTER TABLE venues RENAME COLUMN city TO locality;
CREATE VIEW upcoming AS
SELECT e.id, e.title, e.starts_at, v.name AS venue, v.locality
FROM events AS e LEFT JOIN venues AS v ON v.id = e.venue_id;
COMMIT;
