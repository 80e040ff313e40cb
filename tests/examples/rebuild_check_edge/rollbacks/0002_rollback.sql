CREATE TABLE ratings_old (
    id    INTEGER PRIMARY KEY,
    stars INTEGER NOT NULL CHECK (stars BETWEEN 0 AND 10)
);
INSERT INTO ratings_old (id, stars) SELECT id, stars FROM ratings;
DROP TABLE ratings;
ALTER TABLE ratings_old RENAME TO ratings;
