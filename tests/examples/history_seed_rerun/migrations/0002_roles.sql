-- Seeds without a key: running the file again duplicates them.
CREATE TABLE IF NOT EXISTS roles(id INTEGER PRIMARY KEY, name TEXT NOT NULL);
INSERT INTO roles(name) VALUES ('admin'), ('member');
