-- Migration 0004: file uploads (R2 objects) and artist reviews.
--   files   - uploaded objects, owned by a user, optionally tied to an artist/track
--   reviews - 1-5 star reviews of an artist, optionally about a specific gig
-- Safe to run twice: every statement is guarded with IF NOT EXISTS.
-- Known gap (fixed by 0012): reviews.reviewer_user_id has no index here.

CREATE TABLE IF NOT EXISTS files (
    id            TEXT PRIMARY KEY,
    owner_user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    artist_id     TEXT REFERENCES artists(id) ON DELETE CASCADE,
    track_id      TEXT REFERENCES tracks(id) ON DELETE SET NULL,
    r2_key        TEXT NOT NULL UNIQUE,
    filename      TEXT NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
    mime_type     TEXT NOT NULL,
    size_bytes    INTEGER NOT NULL CHECK (size_bytes >= 0),
    category      TEXT NOT NULL DEFAULT 'other' CHECK (category IN ('audio', 'image', 'video', 'document', 'other')),
    is_public     INTEGER NOT NULL DEFAULT 0 CHECK (is_public IN (0, 1)),
    metadata      TEXT CHECK (metadata IS NULL OR json_valid(metadata)),
    created_at    TEXT NOT NULL DEFAULT (datetime('now'))
);

CREATE INDEX IF NOT EXISTS idx_files_owner_user_id ON files(owner_user_id);
CREATE INDEX IF NOT EXISTS idx_files_artist_id ON files(artist_id);
CREATE INDEX IF NOT EXISTS idx_files_track_id ON files(track_id);

CREATE TABLE IF NOT EXISTS reviews (
    id                  TEXT PRIMARY KEY,
    artist_id           TEXT NOT NULL REFERENCES artists(id) ON DELETE CASCADE,
    reviewer_user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    gig_id              TEXT REFERENCES gigs(id) ON DELETE SET NULL,
    rating              INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment             TEXT CHECK (comment IS NULL OR length(comment) <= 2000),
    is_verified_booking INTEGER NOT NULL DEFAULT 0 CHECK (is_verified_booking IN (0, 1)),
    created_at          TEXT NOT NULL DEFAULT (datetime('now')),
    updated_at          TEXT NOT NULL DEFAULT (datetime('now')),
    UNIQUE (gig_id, reviewer_user_id)
);

-- reviews.gig_id is covered by UNIQUE (gig_id, reviewer_user_id).
CREATE INDEX IF NOT EXISTS idx_reviews_artist_id_created_at ON reviews(artist_id, created_at);
