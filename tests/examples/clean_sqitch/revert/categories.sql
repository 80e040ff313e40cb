-- Revert blog:categories from sqlite

BEGIN;

DROP TABLE categories;

COMMIT;
