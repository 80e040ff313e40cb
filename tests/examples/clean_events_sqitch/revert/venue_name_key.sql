-- Revert tickets:venue_name_key from sqlite

BEGIN;

CREATE TABLE venues_old (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    city TEXT NOT NULL
);
INSERT INTO venues_old (id, name, city) SELECT id, name, city FROM venues;
DROP TABLE venues;
ALTER TABLE venues_old RENAME TO venues;

COMMIT;
