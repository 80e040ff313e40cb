-- Revert blog:unique_author_email from sqlite

BEGIN;

DROP INDEX idx_authors_email;

COMMIT;
