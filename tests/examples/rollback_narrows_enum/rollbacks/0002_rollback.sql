-- Planted defect: the old CHECK refuses 'team', and OR IGNORE makes every team account
-- (a row of a table that existed before 0002) disappear instead of failing the rollback.
CREATE TABLE accounts_old (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    plan TEXT NOT NULL DEFAULT 'free' CHECK (plan IN ('free', 'pro'))
);
INSERT OR IGNORE INTO accounts_old (id, name, plan) SELECT id, name, plan FROM accounts;
DROP TABLE accounts;
ALTER TABLE accounts_old RENAME TO accounts;
