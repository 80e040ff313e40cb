-- Migration 0001: core identity tables.
--   users            - every account (artists, fans, venues, admins)
--   artists          - one artist profile per user (1:1 via UNIQUE user_id)
--   artist_followers - users following artists (one row per artist/follower pair)
-- Safe to run twice: every statement is guarded with IF NOT EXISTS.
-- users.password_hash is the last column on purpose: 0007 drops it and its
-- rollback re-adds it at the end, which restores the exact column order.

CREATE TABLE IF NOT EXISTS users (
    id                  TEXT PRIMARY KEY,
    email               TEXT NOT NULL UNIQUE,
    display_name        TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
    avatar_url          TEXT,
    role                TEXT NOT NULL DEFAULT 'fan' CHECK (role IN ('artist', 'fan', 'venue', 'admin')),
    onboarding_step     INTEGER NOT NULL DEFAULT 0 CHECK (onboarding_step BETWEEN 0 AND 5),
    is_active           INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    referred_by_user_id TEXT REFERENCES users(id) ON DELETE SET NULL,
    last_login_at       TEXT,
    created_at          TEXT NOT NULL DEFAULT (datetime('now')),
    updated_at          TEXT NOT NULL DEFAULT (datetime('now')),
    password_hash       TEXT
);

CREATE INDEX IF NOT EXISTS idx_users_referred_by_user_id ON users(referred_by_user_id);

CREATE TABLE IF NOT EXISTS artists (
    id                 TEXT PRIMARY KEY,
    user_id            TEXT NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE,
    stage_name         TEXT NOT NULL CHECK (length(stage_name) BETWEEN 1 AND 100),
    slug               TEXT NOT NULL UNIQUE,
    bio                TEXT CHECK (bio IS NULL OR length(bio) <= 2000),
    location_city      TEXT,
    location_country   TEXT,
    hourly_rate_cents  INTEGER CHECK (hourly_rate_cents IS NULL OR hourly_rate_cents >= 0),
    is_verified        INTEGER NOT NULL DEFAULT 0 CHECK (is_verified IN (0, 1)),
    is_available       INTEGER NOT NULL DEFAULT 1 CHECK (is_available IN (0, 1)),
    social_links       TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(social_links)),
    created_at         TEXT NOT NULL DEFAULT (datetime('now')),
    updated_at         TEXT NOT NULL DEFAULT (datetime('now'))
);

-- artists.user_id is covered by its UNIQUE constraint (no extra index needed).

CREATE TABLE IF NOT EXISTS artist_followers (
    id               TEXT PRIMARY KEY,
    artist_id        TEXT NOT NULL REFERENCES artists(id) ON DELETE CASCADE,
    follower_user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at       TEXT NOT NULL DEFAULT (datetime('now')),
    UNIQUE (artist_id, follower_user_id)
);

-- artist_followers.artist_id is covered by UNIQUE (artist_id, follower_user_id).
CREATE INDEX IF NOT EXISTS idx_artist_followers_follower_user_id ON artist_followers(follower_user_id);
