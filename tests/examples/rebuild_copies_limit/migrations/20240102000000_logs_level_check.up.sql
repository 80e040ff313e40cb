-- Planted defect: the copy keeps the newest 1000 log lines; the DROP deletes the rest.
CREATE TABLE logs_new (id INTEGER PRIMARY KEY, message TEXT NOT NULL, level TEXT NOT NULL COLLATE NOCASE);
INSERT INTO logs_new (id, message, level) SELECT id, message, level FROM logs ORDER BY id DESC LIMIT 1000;
DROP TABLE logs;
ALTER TABLE logs_new RENAME TO logs;
