-- Clean twin of rebuild_copies_limit: LIMIT -1 is SQLite's "no limit".
CREATE TABLE logs_new (id INTEGER PRIMARY KEY, message TEXT NOT NULL, level TEXT NOT NULL COLLATE NOCASE);
INSERT INTO logs_new (id, message, level) SELECT id, message, level FROM logs ORDER BY id DESC LIMIT -1;
DROP TABLE logs;
ALTER TABLE logs_new RENAME TO logs;
