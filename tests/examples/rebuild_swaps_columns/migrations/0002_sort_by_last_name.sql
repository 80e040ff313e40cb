-- Reorder the columns for a sort index. Planted defect: SELECT * copies by position, so
-- every first name lands in last_name and the other way round.
CREATE TABLE people_new (
    id         INTEGER PRIMARY KEY,
    last_name  TEXT NOT NULL,
    first_name TEXT NOT NULL
);
INSERT INTO people_new SELECT * FROM people;
DROP TABLE people;
ALTER TABLE people_new RENAME TO people;
CREATE INDEX IF NOT EXISTS idx_people_name ON people(last_name, first_name);
