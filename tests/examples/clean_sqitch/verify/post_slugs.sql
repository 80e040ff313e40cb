-- Verify blog:post_slugs on sqlite

BEGIN;

SELECT slug FROM posts WHERE 0;

ROLLBACK;
