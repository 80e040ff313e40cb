-- Migration 0002: portfolio and marketplace.
--   tracks           - audio tracks owned by an artist
--   gigs             - gig postings by a user (venue/organiser), optionally booked to an artist
--   gig_applications - artists applying to gigs (one application per gig/artist pair)
-- Safe to run twice: every statement is guarded with IF NOT EXISTS.

CREATE TABLE IF NOT EXISTS tracks (
    id               TEXT PRIMARY KEY,
    artist_id        TEXT NOT NULL REFERENCES artists(id) ON DELETE CASCADE,
    title            TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    genre            TEXT,
    duration_seconds INTEGER CHECK (duration_seconds IS NULL OR duration_seconds > 0),
    audio_url        TEXT,
    cover_art_url    TEXT,
    price_cents      INTEGER NOT NULL DEFAULT 0 CHECK (price_cents >= 0),
    play_count       INTEGER NOT NULL DEFAULT 0 CHECK (play_count >= 0),
    is_public        INTEGER NOT NULL DEFAULT 1 CHECK (is_public IN (0, 1)),
    metadata         TEXT CHECK (metadata IS NULL OR json_valid(metadata)),
    created_at       TEXT NOT NULL DEFAULT (datetime('now')),
    updated_at       TEXT NOT NULL DEFAULT (datetime('now'))
);

CREATE INDEX IF NOT EXISTS idx_tracks_artist_id ON tracks(artist_id);

CREATE TABLE IF NOT EXISTS gigs (
    id                TEXT PRIMARY KEY,
    posted_by_user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    booked_artist_id  TEXT REFERENCES artists(id) ON DELETE SET NULL,
    title             TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description       TEXT CHECK (description IS NULL OR length(description) <= 5000),
    genre             TEXT,
    venue_name        TEXT,
    location_city     TEXT,
    event_date        TEXT NOT NULL,
    budget_cents      INTEGER CHECK (budget_cents IS NULL OR budget_cents >= 0),
    status            TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'filled', 'cancelled', 'completed')),
    is_urgent         INTEGER NOT NULL DEFAULT 0 CHECK (is_urgent IN (0, 1)),
    created_at        TEXT NOT NULL DEFAULT (datetime('now')),
    updated_at        TEXT NOT NULL DEFAULT (datetime('now'))
);

CREATE INDEX IF NOT EXISTS idx_gigs_posted_by_user_id ON gigs(posted_by_user_id);
CREATE INDEX IF NOT EXISTS idx_gigs_booked_artist_id ON gigs(booked_artist_id);

CREATE TABLE IF NOT EXISTS gig_applications (
    id                  TEXT PRIMARY KEY,
    gig_id              TEXT NOT NULL REFERENCES gigs(id) ON DELETE CASCADE,
    artist_id           TEXT NOT NULL REFERENCES artists(id) ON DELETE CASCADE,
    cover_message       TEXT CHECK (cover_message IS NULL OR length(cover_message) <= 1000),
    proposed_rate_cents INTEGER CHECK (proposed_rate_cents IS NULL OR proposed_rate_cents >= 0),
    status              TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected', 'withdrawn')),
    created_at          TEXT NOT NULL DEFAULT (datetime('now')),
    updated_at          TEXT NOT NULL DEFAULT (datetime('now')),
    UNIQUE (gig_id, artist_id)
);

-- gig_applications.gig_id is covered by UNIQUE (gig_id, artist_id).
CREATE INDEX IF NOT EXISTS idx_gig_applications_artist_id ON gig_applications(artist_id);
