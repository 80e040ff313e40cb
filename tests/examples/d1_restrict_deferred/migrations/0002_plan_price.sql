PRAGMA defer_foreign_keys = ON;
CREATE TABLE plans_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price INTEGER NOT NULL DEFAULT 0);
INSERT INTO plans_new (id, name) SELECT id, name FROM plans;
DROP TABLE plans;
ALTER TABLE plans_new RENAME TO plans;
PRAGMA defer_foreign_keys = OFF;
