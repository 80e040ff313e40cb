CREATE TABLE subscriptions_old (
    id         INTEGER PRIMARY KEY,
    email      TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'active',
    plan_cents INTEGER NOT NULL DEFAULT 0
);
INSERT INTO subscriptions_old (id, email, status, plan_cents)
    SELECT id, email, status, plan_cents FROM subscriptions;
DROP TABLE subscriptions;
ALTER TABLE subscriptions_old RENAME TO subscriptions;
