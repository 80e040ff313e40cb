-- Migration 0006: outbound delivery queues drained by background workers.
--   email_delivery_queue - account and booking e-mails (Resend) with retry bookkeeping
--   notification_queue   - in-app / push / SMS notifications per user
-- Safe to run twice: every statement is guarded with IF NOT EXISTS.

CREATE TABLE IF NOT EXISTS email_delivery_queue (
    id            INTEGER PRIMARY KEY,
    user_id       TEXT REFERENCES users(id) ON DELETE SET NULL,
    to_email      TEXT NOT NULL,
    template      TEXT NOT NULL,
    subject       TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
    payload       TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(payload)),
    status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts      INTEGER NOT NULL DEFAULT 0 CHECK (attempts BETWEEN 0 AND 10),
    last_error    TEXT,
    scheduled_at  TEXT NOT NULL DEFAULT (datetime('now')),
    sent_at       TEXT,
    created_at    TEXT NOT NULL DEFAULT (datetime('now'))
);

CREATE INDEX IF NOT EXISTS idx_email_delivery_queue_user_id ON email_delivery_queue(user_id);
CREATE INDEX IF NOT EXISTS idx_email_delivery_queue_status_scheduled_at ON email_delivery_queue(status, scheduled_at);

CREATE TABLE IF NOT EXISTS notification_queue (
    id           INTEGER PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    channel      TEXT NOT NULL DEFAULT 'in_app' CHECK (channel IN ('in_app', 'push', 'sms')),
    title        TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    body         TEXT CHECK (body IS NULL OR length(body) <= 1000),
    payload      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(payload)),
    status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0 CHECK (attempts BETWEEN 0 AND 10),
    is_read      INTEGER NOT NULL DEFAULT 0 CHECK (is_read IN (0, 1)),
    sent_at      TEXT,
    created_at   TEXT NOT NULL DEFAULT (datetime('now'))
);

CREATE INDEX IF NOT EXISTS idx_notification_queue_user_id_created_at ON notification_queue(user_id, created_at);
