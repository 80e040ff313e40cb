-- A typo in the parent's name (track for tracks): SQLite accepts the key, and every
-- write to likes fails while foreign keys are on (always, on D1).
CREATE TABLE likes (
    id INTEGER PRIMARY KEY,
    track_id INTEGER NOT NULL REFERENCES track(id) ON DELETE CASCADE,
    user_name TEXT NOT NULL
);
CREATE INDEX likes_track_id ON likes(track_id);
