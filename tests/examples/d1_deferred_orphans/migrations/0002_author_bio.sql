-- A table rebuild on D1, where foreign keys cannot be turned off: defer them instead.
-- Planted defect: the copy forgets the id column, so authors are renumbered and every
-- book points at nobody. Switching defer_foreign_keys off before the end forgives the
-- deferred violations, so the commit succeeds and the orphans stay.
PRAGMA defer_foreign_keys = ON;
CREATE TABLE authors_new (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    bio  TEXT
);
INSERT INTO authors_new (name) SELECT name FROM authors ORDER BY id;
DROP TABLE authors;
ALTER TABLE authors_new RENAME TO authors;
PRAGMA defer_foreign_keys = OFF;
