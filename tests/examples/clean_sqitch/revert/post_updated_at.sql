-- Revert blog:post_updated_at from sqlite

BEGIN;

DROP TRIGGER posts_touch;
ALTER TABLE posts DROP COLUMN updated_at;

COMMIT;
