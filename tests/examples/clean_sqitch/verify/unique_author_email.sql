-- Verify blog:unique_author_email on sqlite

BEGIN;

SELECT 1 / count(*) FROM sqlite_master WHERE type = 'index' AND name = 'idx_authors_email';

ROLLBACK;
