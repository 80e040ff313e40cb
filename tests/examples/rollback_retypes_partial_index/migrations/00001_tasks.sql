-- +goose Up
CREATE TABLE tasks (id INTEGER PRIMARY KEY, title TEXT NOT NULL, done INTEGER NOT NULL DEFAULT 0);
CREATE INDEX tasks_open ON tasks (title) WHERE done = 0;
-- +goose Down
DROP TABLE tasks;
