-- Verify blog:post_updated_at on sqlite

BEGIN;

SELECT updated_at FROM posts WHERE 0;

ROLLBACK;
