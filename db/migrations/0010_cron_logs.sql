-- Migration 0010: scheduled job (Cron Trigger) run log.
--   cron_logs - one row per job run with outcome and timing
-- Safe to run twice: every statement is guarded with IF NOT EXISTS.

CREATE TABLE IF NOT EXISTS cron_logs (
    id                INTEGER PRIMARY KEY,
    job_name          TEXT NOT NULL CHECK (length(job_name) BETWEEN 1 AND 100),
    cron_expression   TEXT,
    status            TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'success', 'failed')),
    started_at        TEXT NOT NULL DEFAULT (datetime('now')),
    finished_at       TEXT,
    duration_ms       INTEGER CHECK (duration_ms IS NULL OR duration_ms >= 0),
    records_processed INTEGER NOT NULL DEFAULT 0 CHECK (records_processed >= 0),
    error_message     TEXT,
    metadata          TEXT CHECK (metadata IS NULL OR json_valid(metadata)),
    created_at        TEXT NOT NULL DEFAULT (datetime('now'))
);

CREATE INDEX IF NOT EXISTS idx_cron_logs_job_name_started_at ON cron_logs(job_name, started_at);
