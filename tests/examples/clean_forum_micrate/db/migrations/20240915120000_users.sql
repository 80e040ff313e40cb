-- +micrate Up
-- authors were free text; they become accounts, one per name (case ignored)
CREATE TABLE users (
  id       INTEGER PRIMARY KEY,
  username TEXT NOT NULL COLLATE NOCASE UNIQUE
);
INSERT OR IGNORE INTO users (username) SELECT author FROM threads;
INSERT OR IGNORE INTO users (username) SELECT author FROM posts;
CREATE INDEX threads_author ON threads(author);

-- +micrate Down
DROP INDEX threads_author;
DROP TABLE users;
