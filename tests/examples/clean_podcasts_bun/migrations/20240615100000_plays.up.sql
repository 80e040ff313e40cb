CREATE TABLE IF NOT EXISTS plays (
    id         INTEGER PRIMARY KEY,
    episode_id INTEGER NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
    listener   TEXT NOT NULL,
    seconds    INTEGER NOT NULL DEFAULT 0 CHECK (seconds >= 0),
    played_at  TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
--bun:split
CREATE INDEX IF NOT EXISTS plays_episode ON plays(episode_id);
