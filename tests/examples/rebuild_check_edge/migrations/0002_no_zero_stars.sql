-- Planted defect: the new CHECK starts at 1 and OR IGNORE swallows the CHECK failures,
-- so every zero-star rating vanishes without an error.
CREATE TABLE ratings_new (
    id    INTEGER PRIMARY KEY,
    stars INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 10)
);
INSERT OR IGNORE INTO ratings_new (id, stars) SELECT id, stars FROM ratings;
DROP TABLE ratings;
ALTER TABLE ratings_new RENAME TO ratings;
