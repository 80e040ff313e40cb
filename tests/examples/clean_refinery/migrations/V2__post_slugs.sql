-- A unique slug per post, backfilled from its id.
-- Every existing post gets 'post-<id>': ids are unique, so the slugs are too.
ALTER TABLE posts ADD COLUMN slug TEXT;
UPDATE posts SET slug = 'post-' || id WHERE slug IS NULL;
CREATE UNIQUE INDEX idx_posts_slug ON posts(slug);
