-- Revert blog:authors_posts from sqlite

BEGIN;

DROP TABLE posts;
DROP TABLE authors;

COMMIT;
