-- Migration number: 0008 	 2025-04-14T09:00:00.000Z
-- Tags get an order on each task. The join table is rebuilt (a leaf: nothing references
-- it) and keeps its composite key; existing tags are numbered by tag id. A tag still on
-- a task can no longer be deleted: the link to tags loses its CASCADE.
CREATE TABLE task_tags_new (
    task_id  INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    tag_id   INTEGER NOT NULL REFERENCES tags(id),
    position INTEGER NOT NULL DEFAULT 0 CHECK (position >= 0),
    PRIMARY KEY (task_id, tag_id)
) WITHOUT ROWID;
INSERT INTO task_tags_new (task_id, tag_id, position)
SELECT task_id, tag_id,
       (SELECT COUNT(*) FROM task_tags AS e WHERE e.task_id = s.task_id AND e.tag_id < s.tag_id)
FROM task_tags AS s;
DROP TABLE task_tags;
ALTER TABLE task_tags_new RENAME TO task_tags;
CREATE INDEX task_tags_tag ON task_tags(tag_id);
