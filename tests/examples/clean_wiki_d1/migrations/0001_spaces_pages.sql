-- Migration number: 0001 	 2025-02-03T09:00:00.000Z
CREATE TABLE spaces (
    id         INTEGER PRIMARY KEY,
    key        TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE TABLE pages (
    id         INTEGER PRIMARY KEY,
    space_id   INTEGER NOT NULL REFERENCES spaces(id),
    title      TEXT NOT NULL,
    body       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE INDEX pages_space_id_idx ON pages(space_id);
CREATE VIEW space_page_counts AS
SELECT s.id AS space_id, s.key, COUNT(p.id) AS pages
FROM spaces AS s
LEFT JOIN pages AS p ON p.space_id = s.id
GROUP BY s.id, s.key;
