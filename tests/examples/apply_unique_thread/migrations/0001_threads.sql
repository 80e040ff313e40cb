CREATE TABLE workspace (
    id   TEXT PRIMARY KEY,
    name TEXT NOT NULL
);
CREATE TABLE conversation (
    id                TEXT PRIMARY KEY,
    workspace_id      TEXT NOT NULL REFERENCES workspace(id),
    parent_message_id TEXT,
    title             TEXT NOT NULL CHECK (length(title) <= 200)
);
