-- Revert blog:post_slugs from sqlite

BEGIN;

DROP INDEX idx_posts_slug;
ALTER TABLE posts DROP COLUMN slug;

COMMIT;
