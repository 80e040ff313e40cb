DROP INDEX idx_posts_slug;
ALTER TABLE posts DROP COLUMN slug;
