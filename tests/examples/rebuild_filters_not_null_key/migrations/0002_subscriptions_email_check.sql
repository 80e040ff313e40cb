-- Add a CHECK on email by rebuilding the table. The copy's filter drops nothing the
-- table can hold (id is its key, never NULL), and the partial index compares status
-- with 'active' without touching a row: the quiet twin of rebuild_filters_literal.
CREATE TABLE subscriptions_new (
    id         INTEGER PRIMARY KEY,
    email      TEXT NOT NULL CHECK (length(email) <= 320),
    status     TEXT NOT NULL DEFAULT 'active',
    plan_cents INTEGER NOT NULL DEFAULT 0
);
INSERT INTO subscriptions_new (id, email, status, plan_cents)
    SELECT id, email, status, plan_cents FROM subscriptions
    WHERE id IS NOT NULL;
DROP TABLE subscriptions;
ALTER TABLE subscriptions_new RENAME TO subscriptions;
CREATE INDEX IF NOT EXISTS idx_subscriptions_active ON subscriptions(email)
    WHERE status = 'active';
