CREATE TABLE genres (code TEXT PRIMARY KEY, label TEXT NOT NULL);
CREATE TABLE tracks (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    genre_code TEXT
);
CREATE VIEW track_genres AS
    SELECT t.id, t.title, g.label AS genre
    FROM tracks t LEFT JOIN genres g ON g.code = t.genre_code;
