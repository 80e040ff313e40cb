-- INT is not INTEGER: the copied ids stay, but the next note the application inserts
-- without an id gets NULL.
CREATE TABLE notes_new (
    id    INT PRIMARY KEY,
    body  TEXT NOT NULL,
    title TEXT
);
INSERT INTO notes_new (id, body) SELECT id, body FROM notes;
DROP TABLE notes;
ALTER TABLE notes_new RENAME TO notes;
