CREATE TABLE plans_new (
    id INTEGER PRIMARY KEY,
    tier TEXT NOT NULL CHECK (tier IN ('free', 'pro')),
    seats INTEGER NOT NULL DEFAULT 1
);
INSERT INTO plans_new (id, tier) SELECT id, tier FROM plans;
DROP TABLE plans;
ALTER TABLE plans_new RENAME TO plans;
