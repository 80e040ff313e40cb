CREATE TABLE events_old (id INTEGER PRIMARY KEY, kind TEXT NOT NULL);
INSERT INTO events_old (id, kind) SELECT id, kind FROM events;
DROP TABLE events;
ALTER TABLE events_old RENAME TO events;
