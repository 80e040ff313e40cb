-- Migration number: 0006 	 2025-03-17T09:00:00.000Z
-- Labels move from the JSON array on tasks into a tag lookup and a join table.
CREATE TABLE tags (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
INSERT OR IGNORE INTO tags (name) VALUES ('bug'), ('feature'), ('chore');
-- Only string members are labels; numbers or objects in the array were never shown.
INSERT OR IGNORE INTO tags (name)
SELECT DISTINCT j.value FROM tasks AS t, json_each(t.labels) AS j WHERE j.type = 'text';

CREATE TABLE task_tags (
    task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    tag_id  INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (task_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX task_tags_tag ON task_tags(tag_id);
INSERT OR IGNORE INTO task_tags (task_id, tag_id)
SELECT t.id, g.id
FROM tasks AS t, json_each(t.labels) AS j
JOIN tags AS g ON g.name = j.value
WHERE j.type = 'text';
ALTER TABLE tasks DROP COLUMN labels;
