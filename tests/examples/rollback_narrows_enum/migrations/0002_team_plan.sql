-- Allow a third plan: widening a CHECK is a table rebuild in SQLite.
CREATE TABLE accounts_new (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    plan TEXT NOT NULL DEFAULT 'free' CHECK (plan IN ('free', 'pro', 'team'))
);
INSERT INTO accounts_new (id, name, plan) SELECT id, name, plan FROM accounts;
DROP TABLE accounts;
ALTER TABLE accounts_new RENAME TO accounts;
