-- Back to hard deletes: purge the soft-deleted posts, then restore ON DELETE CASCADE.
-- Planted defect: the purge runs with foreign keys off (and before CASCADE is back), so
-- the comments of purged posts are never deleted and stay behind as orphans.
PRAGMA foreign_keys = OFF;
BEGIN;
DELETE FROM posts WHERE deleted_at IS NOT NULL;
CREATE TABLE comments_old (
    id      INTEGER PRIMARY KEY,
    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    body    TEXT NOT NULL
);
INSERT INTO comments_old (id, post_id, body) SELECT id, post_id, body FROM comments;
DROP TABLE comments;
ALTER TABLE comments_old RENAME TO comments;
CREATE INDEX IF NOT EXISTS idx_comments_post ON comments(post_id);
ALTER TABLE posts DROP COLUMN deleted_at;
COMMIT;
PRAGMA foreign_keys = ON;
