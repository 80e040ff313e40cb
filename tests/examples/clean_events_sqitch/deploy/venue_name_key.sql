-- Deploy tickets:venue_name_key to sqlite
-- requires: event_name

BEGIN;

-- Venues entered twice (names differing only by case) are merged into the oldest: its
-- events move to it, then the duplicates go. Then venues is rebuilt with a NOCASE,
-- UNIQUE name. sqlite3 runs sqitch's scripts with keys off, so the DROP touches no
-- event.
UPDATE events
SET venue_id = (
    SELECT MIN(keep.id) FROM venues AS dup
    JOIN venues AS keep ON keep.name = dup.name COLLATE NOCASE
    WHERE dup.id = events.venue_id
)
WHERE venue_id IN (
    SELECT v.id FROM venues AS v
    WHERE EXISTS (
        SELECT 1 FROM venues AS o WHERE o.name = v.name COLLATE NOCASE AND o.id < v.id
    )
);
DELETE FROM venues
WHERE EXISTS (
    SELECT 1 FROM venues AS o WHERE o.name = venues.name COLLATE NOCASE AND o.id < venues.id
);
CREATE TABLE venues_new (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL COLLATE NOCASE UNIQUE,
    city TEXT NOT NULL
);
INSERT INTO venues_new (id, name, city) SELECT id, name, city FROM venues;
DROP TABLE venues;
ALTER TABLE venues_new RENAME TO venues;

COMMIT;
