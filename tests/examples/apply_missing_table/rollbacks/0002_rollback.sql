DROP INDEX IF EXISTS idx_posts_author;
