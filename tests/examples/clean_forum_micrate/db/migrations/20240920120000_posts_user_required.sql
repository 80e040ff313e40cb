-- +micrate Up
-- every post links to its author's account: authors who first posted after the
-- accounts were made get theirs now, so the join finds a user for every post. posts is a leaf, and keys are off under
-- micrate (crystal-sqlite3 sets none unless the URL asks).
INSERT OR IGNORE INTO users (username) SELECT author FROM posts;
CREATE TABLE posts_new (
  id         INTEGER PRIMARY KEY,
  thread_id  INTEGER NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
  user_id    INTEGER NOT NULL REFERENCES users(id),
  author     TEXT NOT NULL,
  body       TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO posts_new (id, thread_id, user_id, author, body, created_at) SELECT p.id, p.thread_id, u.id, p.author, p.body, p.created_at FROM posts AS p JOIN users AS u ON u.username = p.author;
DROP TABLE posts;
ALTER TABLE posts_new RENAME TO posts;
CREATE INDEX posts_thread ON posts(thread_id, created_at);
CREATE INDEX posts_user ON posts(user_id);

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
CREATE TABLE posts_old (
  id         INTEGER PRIMARY KEY,
  thread_id  INTEGER NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
  author     TEXT NOT NULL,
  body       TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO posts_old (id, thread_id, author, body, created_at) SELECT id, thread_id, author, body, created_at FROM posts;
DROP TABLE posts;
ALTER TABLE posts_old RENAME TO posts;
CREATE INDEX posts_thread ON posts(thread_id, created_at);

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
