-- Verify blog:author_settings on sqlite

BEGIN;

SELECT settings, theme FROM authors WHERE 0;
SELECT author_id, name, post_count FROM author_post_counts WHERE 0;

ROLLBACK;
