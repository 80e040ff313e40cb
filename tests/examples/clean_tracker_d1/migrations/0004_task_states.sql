-- Migration number: 0004 	 2025-02-17T09:00:00.000Z
-- Two more task states. SQLite cannot alter a CHECK, so tasks is rebuilt: the view and
-- the trigger that read it go first and come back after, every row is copied as it is.
-- No table references tasks yet, so the DROP deletes nothing anywhere else.
DROP VIEW open_tasks;
DROP TRIGGER tasks_state_log;
CREATE TABLE tasks_new (
    id         INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    state      TEXT NOT NULL DEFAULT 'open'
               CHECK (state IN ('open', 'in_progress', 'blocked', 'done')),
    labels     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(labels)),
    due        TEXT CHECK (due IS date(due)),
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO tasks_new (id, project_id, title, state, labels, due, created_at)
SELECT id, project_id, title, state, labels, due, created_at FROM tasks;
DROP TABLE tasks;
ALTER TABLE tasks_new RENAME TO tasks;
CREATE INDEX tasks_project ON tasks(project_id);
CREATE TRIGGER tasks_state_log AFTER UPDATE OF state ON tasks
WHEN old.state IS NOT new.state
BEGIN
    INSERT INTO task_events (task_id, state) VALUES (new.id, new.state);
END;
CREATE VIEW open_tasks AS
SELECT t.id, t.title, p.name AS project
FROM tasks AS t
JOIN projects AS p ON p.id = t.project_id
WHERE t.state IN ('open', 'in_progress', 'blocked');
