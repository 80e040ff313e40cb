-- Rebuilds posts to drop the column, but writes ON DELETE SET NULL instead of CASCADE.
CREATE TABLE posts_old(
    id INTEGER PRIMARY KEY,
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    body TEXT
);
INSERT INTO posts_old(id, user_id, body) SELECT id, user_id, body FROM posts;
DROP TABLE posts;
ALTER TABLE posts_old RENAME TO posts;
CREATE INDEX IF NOT EXISTS idx_posts_user_id ON posts(user_id);
