-- Verify blog:authors_posts on sqlite

BEGIN;

SELECT id, email, name, created_at FROM authors WHERE 0;
SELECT id, author_id, title, body, status, created_at FROM posts WHERE 0;

ROLLBACK;
