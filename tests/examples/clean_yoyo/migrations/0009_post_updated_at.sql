-- posts.updated_at, kept by a trigger.
-- depends: 0008_post_status_label

ALTER TABLE posts ADD COLUMN updated_at TEXT;
UPDATE posts SET updated_at = created_at WHERE updated_at IS NULL;
CREATE TRIGGER posts_touch AFTER UPDATE OF title, body, status ON posts BEGIN
    UPDATE posts SET updated_at = CURRENT_TIMESTAMP WHERE id = new.id;
END;
