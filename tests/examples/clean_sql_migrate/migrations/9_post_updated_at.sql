-- posts.updated_at, kept by a trigger.
-- +migrate Up
ALTER TABLE posts ADD COLUMN updated_at TEXT;
UPDATE posts SET updated_at = created_at WHERE updated_at IS NULL;
-- +migrate StatementBegin
CREATE TRIGGER posts_touch AFTER UPDATE OF title, body, status ON posts BEGIN
    UPDATE posts SET updated_at = CURRENT_TIMESTAMP WHERE id = new.id;
END;
-- +migrate StatementEnd

-- +migrate Down
DROP TRIGGER posts_touch;
ALTER TABLE posts DROP COLUMN updated_at;
