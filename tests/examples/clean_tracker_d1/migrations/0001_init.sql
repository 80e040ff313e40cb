-- Migration number: 0001 	 2025-01-06T09:00:00.000Z
CREATE TABLE users (
    id         INTEGER PRIMARY KEY,
    email      TEXT NOT NULL,
    full_name  TEXT NOT NULL,
    bio        TEXT,
    avatar_url TEXT,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX users_email ON users(email);

CREATE TABLE projects (
    id         INTEGER PRIMARY KEY,
    owner_id   INTEGER NOT NULL REFERENCES users(id),
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX projects_owner ON projects(owner_id);

CREATE TABLE tasks (
    id         INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    state      TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done')),
    labels     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(labels)),
    due        TEXT CHECK (due IS date(due)),
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX tasks_project ON tasks(project_id);

-- The audit log outlives the tasks it describes: no foreign key on purpose.
CREATE TABLE task_events (
    id       INTEGER PRIMARY KEY,
    task_id  INTEGER NOT NULL,
    state    TEXT NOT NULL,
    noted_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX task_events_task ON task_events(task_id);

CREATE TRIGGER tasks_state_log AFTER UPDATE OF state ON tasks
WHEN old.state IS NOT new.state
BEGIN
    INSERT INTO task_events (task_id, state) VALUES (new.id, new.state);
END;

CREATE VIEW open_tasks AS
SELECT t.id, t.title, p.name AS project
FROM tasks AS t
JOIN projects AS p ON p.id = t.project_id
WHERE t.state = 'open';
