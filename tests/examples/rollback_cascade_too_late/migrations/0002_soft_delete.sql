-- Soft delete: posts get deleted_at, and hard deletes of a post with comments are
-- refused (ON DELETE CASCADE becomes RESTRICT: a table rebuild of comments).
PRAGMA foreign_keys = OFF;
BEGIN;
ALTER TABLE posts ADD COLUMN deleted_at TEXT;
CREATE TABLE comments_new (
    id      INTEGER PRIMARY KEY,
    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE RESTRICT,
    body    TEXT NOT NULL
);
INSERT INTO comments_new (id, post_id, body) SELECT id, post_id, body FROM comments;
DROP TABLE comments;
ALTER TABLE comments_new RENAME TO comments;
CREATE INDEX IF NOT EXISTS idx_comments_post ON comments(post_id);
PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
