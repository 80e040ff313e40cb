-- Clean twin of rollback_reorders_and_empties: the rebuild reorders the columns (schema
-- drift) but copies every value, so no data is lost.
CREATE TABLE people_old (
    id    INTEGER PRIMARY KEY,
    email TEXT,
    name  TEXT NOT NULL
);
INSERT INTO people_old (id, email, name) SELECT id, email, name FROM people;
DROP TABLE people;
ALTER TABLE people_old RENAME TO people;
