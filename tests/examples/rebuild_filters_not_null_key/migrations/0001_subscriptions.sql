CREATE TABLE IF NOT EXISTS subscriptions (
    id         INTEGER PRIMARY KEY,
    email      TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'active',
    plan_cents INTEGER NOT NULL DEFAULT 0
);
