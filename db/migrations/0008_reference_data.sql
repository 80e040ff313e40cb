-- Migration 0008: reference data.
--   genres        - music genres (seeded)
--   instruments   - instruments / skills an artist can list (seeded)
--   artist_genres - which genres an artist plays (composite primary key)
-- Safe to run twice: tables/indexes use IF NOT EXISTS and the seed rows use
-- INSERT OR IGNORE with fixed primary keys (slug is UNIQUE as well), so a
-- second run inserts nothing.

CREATE TABLE IF NOT EXISTS genres (
    id         INTEGER PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
    sort_order INTEGER NOT NULL DEFAULT 0 CHECK (sort_order >= 0),
    is_active  INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    created_at TEXT NOT NULL DEFAULT (datetime('now'))
);

CREATE TABLE IF NOT EXISTS instruments (
    id         INTEGER PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
    category   TEXT NOT NULL DEFAULT 'other' CHECK (category IN ('strings', 'keys', 'percussion', 'wind', 'vocals', 'electronic', 'other')),
    created_at TEXT NOT NULL DEFAULT (datetime('now'))
);

CREATE TABLE IF NOT EXISTS artist_genres (
    artist_id  TEXT NOT NULL REFERENCES artists(id) ON DELETE CASCADE,
    genre_id   INTEGER NOT NULL REFERENCES genres(id) ON DELETE CASCADE,
    is_primary INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1)),
    created_at TEXT NOT NULL DEFAULT (datetime('now')),
    PRIMARY KEY (artist_id, genre_id)
);

-- artist_genres.artist_id is covered by the primary key.
CREATE INDEX IF NOT EXISTS idx_artist_genres_genre_id ON artist_genres(genre_id);

INSERT OR IGNORE INTO genres (id, slug, name, sort_order) VALUES
    (1, 'rock', 'Rock', 10),
    (2, 'pop', 'Pop', 20),
    (3, 'hip-hop', 'Hip-Hop', 30),
    (4, 'rnb', 'R&B', 40),
    (5, 'jazz', 'Jazz', 50),
    (6, 'electronic', 'Electronic', 60),
    (7, 'country', 'Country', 70),
    (8, 'folk', 'Folk', 80),
    (9, 'classical', 'Classical', 90),
    (10, 'metal', 'Metal', 100),
    (11, 'indie', 'Indie', 110),
    (12, 'latin', 'Latin', 120);

INSERT OR IGNORE INTO instruments (id, slug, name, category) VALUES
    (1, 'vocals', 'Vocals', 'vocals'),
    (2, 'guitar', 'Guitar', 'strings'),
    (3, 'bass', 'Bass', 'strings'),
    (4, 'drums', 'Drums', 'percussion'),
    (5, 'piano', 'Piano', 'keys'),
    (6, 'synthesizer', 'Synthesizer', 'keys'),
    (7, 'violin', 'Violin', 'strings'),
    (8, 'saxophone', 'Saxophone', 'wind'),
    (9, 'trumpet', 'Trumpet', 'wind'),
    (10, 'dj', 'DJ / Turntables', 'electronic'),
    (11, 'production', 'Music Production', 'electronic');
