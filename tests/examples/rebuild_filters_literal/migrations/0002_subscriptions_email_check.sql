-- Add a CHECK on email by rebuilding the table. Planted defect: the copy also skips the
-- archived subscriptions (status is free text, no CHECK lists its values), so every
-- archived row is lost; random text never spells 'archived' unless drawn on purpose.
CREATE TABLE subscriptions_new (
    id         INTEGER PRIMARY KEY,
    email      TEXT NOT NULL CHECK (length(email) <= 320),
    status     TEXT NOT NULL DEFAULT 'active',
    plan_cents INTEGER NOT NULL DEFAULT 0
);
INSERT INTO subscriptions_new (id, email, status, plan_cents)
    SELECT id, email, status, plan_cents FROM subscriptions
    WHERE status != 'archived';
DROP TABLE subscriptions;
ALTER TABLE subscriptions_new RENAME TO subscriptions;
