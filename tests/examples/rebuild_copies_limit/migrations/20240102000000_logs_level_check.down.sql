CREATE TABLE logs_old (id INTEGER PRIMARY KEY, message TEXT NOT NULL, level TEXT NOT NULL);
INSERT INTO logs_old (id, message, level) SELECT id, message, level FROM logs;
DROP TABLE logs;
ALTER TABLE logs_old RENAME TO logs;
