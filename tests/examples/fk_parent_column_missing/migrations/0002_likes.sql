-- Planted defect: tracks has no column track_id, so SQLite cannot check the key and every
-- write to likes (and every delete from tracks) fails with 'foreign key mismatch'.
CREATE TABLE IF NOT EXISTS likes (
    id       INTEGER PRIMARY KEY,
    track_id INTEGER NOT NULL REFERENCES tracks(track_id)
);
CREATE INDEX IF NOT EXISTS idx_likes_track ON likes(track_id);
