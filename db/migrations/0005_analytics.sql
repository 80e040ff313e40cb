-- Migration 0005: analytics and AI usage metering.
--   analytics_events        - raw event stream (profile views, plays, ...)
--   analytics_daily_metrics - per-artist daily rollup (one row per artist per day)
--   ai_usage                - token/cost metering of AI features per user
-- Safe to run twice: every statement is guarded with IF NOT EXISTS.
-- Log-style tables use a plain INTEGER PRIMARY KEY (rowid alias, auto-assigned).
-- The auto-increment keyword is avoided on purpose: it creates SQLite's internal
-- sequence table, which can never be dropped, so no rollback could restore the
-- previous schema exactly.

CREATE TABLE IF NOT EXISTS analytics_events (
    id         INTEGER PRIMARY KEY,
    user_id    TEXT REFERENCES users(id) ON DELETE SET NULL,
    artist_id  TEXT REFERENCES artists(id) ON DELETE CASCADE,
    event_type TEXT NOT NULL CHECK (event_type IN ('profile_view', 'track_play', 'gig_view', 'follow', 'message_sent', 'search')),
    session_id TEXT,
    properties TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(properties)),
    created_at TEXT NOT NULL DEFAULT (datetime('now'))
);

CREATE INDEX IF NOT EXISTS idx_analytics_events_user_id ON analytics_events(user_id);
CREATE INDEX IF NOT EXISTS idx_analytics_events_artist_id_created_at ON analytics_events(artist_id, created_at);

CREATE TABLE IF NOT EXISTS analytics_daily_metrics (
    id                 INTEGER PRIMARY KEY,
    artist_id          TEXT NOT NULL REFERENCES artists(id) ON DELETE CASCADE,
    metric_date        TEXT NOT NULL CHECK (length(metric_date) = 10),
    profile_views      INTEGER NOT NULL DEFAULT 0 CHECK (profile_views >= 0),
    track_plays        INTEGER NOT NULL DEFAULT 0 CHECK (track_plays >= 0),
    new_followers      INTEGER NOT NULL DEFAULT 0 CHECK (new_followers >= 0),
    gig_applications   INTEGER NOT NULL DEFAULT 0 CHECK (gig_applications >= 0),
    earnings_cents     INTEGER NOT NULL DEFAULT 0 CHECK (earnings_cents >= 0),
    created_at         TEXT NOT NULL DEFAULT (datetime('now')),
    updated_at         TEXT NOT NULL DEFAULT (datetime('now')),
    UNIQUE (artist_id, metric_date)
);

-- analytics_daily_metrics.artist_id is covered by UNIQUE (artist_id, metric_date).

CREATE TABLE IF NOT EXISTS ai_usage (
    id                INTEGER PRIMARY KEY,
    user_id           TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    feature           TEXT NOT NULL CHECK (feature IN ('violet_chat', 'bio_generator', 'setlist_builder', 'press_kit')),
    model             TEXT NOT NULL,
    prompt_tokens     INTEGER NOT NULL DEFAULT 0 CHECK (prompt_tokens >= 0),
    completion_tokens INTEGER NOT NULL DEFAULT 0 CHECK (completion_tokens >= 0),
    cost_cents        INTEGER NOT NULL DEFAULT 0 CHECK (cost_cents >= 0),
    metadata          TEXT CHECK (metadata IS NULL OR json_valid(metadata)),
    created_at        TEXT NOT NULL DEFAULT (datetime('now'))
);

CREATE INDEX IF NOT EXISTS idx_ai_usage_user_id_created_at ON ai_usage(user_id, created_at);
