-- Rebuild without PRAGMA foreign_keys=OFF: DROP TABLE users cascades into notes.
CREATE TABLE users_old(id INTEGER PRIMARY KEY, email TEXT NOT NULL);
INSERT INTO users_old(id, email) SELECT id, email FROM users;
DROP TABLE users;
ALTER TABLE users_old RENAME TO users;
