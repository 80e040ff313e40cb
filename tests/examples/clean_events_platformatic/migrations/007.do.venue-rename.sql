BEGIN;
CREATE VIEW upcoming AS
SELECT e.id, e.title, e.starts_at, v.name AS venue, v.city
FROM events AS e LEFT JOIN venues AS v ON v.id = e.venue_id;
COMMIT;
