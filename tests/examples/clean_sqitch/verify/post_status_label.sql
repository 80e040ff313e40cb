-- Verify blog:post_status_label on sqlite

BEGIN;

SELECT status, slug, body_length FROM posts WHERE 0;

ROLLBACK;
