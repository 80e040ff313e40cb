-- Verify blog:post_category_id on sqlite

BEGIN;

SELECT category_id FROM posts WHERE 0;

ROLLBACK;
