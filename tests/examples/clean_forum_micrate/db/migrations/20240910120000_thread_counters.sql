-- +micrate Up
ALTER TABLE threads ADD COLUMN post_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE threads ADD COLUMN last_post_at TEXT;
UPDATE threads SET post_count = (SELECT COUNT(*) FROM posts WHERE posts.thread_id = threads.id), last_post_at = (SELECT MAX(created_at) FROM posts WHERE posts.thread_id = threads.id);

-- +micrate StatementBegin
CREATE TRIGGER posts_count_insert AFTER INSERT ON posts
BEGIN
  UPDATE threads SET post_count = post_count + 1, last_post_at = new.created_at WHERE id = new.thread_id;
END;
-- +micrate StatementEnd

-- +micrate StatementBegin
CREATE TRIGGER posts_count_delete AFTER DELETE ON posts
BEGIN
  UPDATE threads SET post_count = post_count - 1 WHERE id = old.thread_id;
END;
-- +micrate StatementEnd

-- +micrate Down
DROP TRIGGER posts_count_delete;
DROP TRIGGER posts_count_insert;
ALTER TABLE threads DROP COLUMN last_post_at;
ALTER TABLE threads DROP COLUMN post_count;
