-- Planted defect: the rebuild puts email before name (schema drift) AND copies NULL
-- into email, so every address is lost: the column order must not hide the loss.
CREATE TABLE people_old (
    id    INTEGER PRIMARY KEY,
    email TEXT,
    name  TEXT NOT NULL
);
INSERT INTO people_old (id, email, name) SELECT id, NULL, name FROM people;
DROP TABLE people;
ALTER TABLE people_old RENAME TO people;
