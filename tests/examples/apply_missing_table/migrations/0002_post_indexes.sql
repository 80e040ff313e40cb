-- Planted defect: indexes posts, which 0003 creates. Files were renumbered after a
-- rebase and this one now runs first.
CREATE INDEX IF NOT EXISTS idx_posts_author ON posts(author_id);
