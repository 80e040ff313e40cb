CREATE TABLE IF NOT EXISTS genres (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);

-- Planted defect: genres.name has no unique key, so a second run inserts both rows again.
INSERT INTO genres (name) VALUES ('rock'), ('jazz');
