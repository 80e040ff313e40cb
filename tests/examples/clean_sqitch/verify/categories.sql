-- Verify blog:categories on sqlite

BEGIN;

SELECT id, name FROM categories WHERE 0;

ROLLBACK;
