-- Verify blog:posts_search on sqlite

BEGIN;

SELECT rowid, title, body FROM posts_fts WHERE 0;

ROLLBACK;
