-- Migration number: 0010 	 2025-05-12T09:00:00.000Z
-- Tag names become case-insensitive. Tags that differ only by case are merged into the
-- oldest one first: their links move to it (OR IGNORE: a task already carrying the kept
-- tag keeps its one link), then the duplicates and their old links go.
INSERT OR IGNORE INTO task_tags (task_id, tag_id, position)
SELECT tt.task_id, k.id, tt.position
FROM task_tags AS tt
JOIN tags AS d ON d.id = tt.tag_id
JOIN tags AS k ON k.id = (SELECT MIN(m.id) FROM tags AS m WHERE lower(m.name) = lower(d.name))
WHERE k.id <> d.id;
DELETE FROM task_tags
WHERE tag_id IN (
    SELECT d.id FROM tags AS d
    WHERE d.id <> (SELECT MIN(m.id) FROM tags AS m WHERE lower(m.name) = lower(d.name))
);
DELETE FROM tags
WHERE id <> (SELECT MIN(m.id) FROM tags AS m WHERE lower(m.name) = lower(tags.name));

-- task_tags references tags without an action: with the check deferred to the commit,
-- dropping the old table leaves the links waiting for the renamed new one.
PRAGMA defer_foreign_keys = on;
CREATE TABLE tags_new (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL COLLATE NOCASE UNIQUE
);
INSERT INTO tags_new (id, name) SELECT id, name FROM tags;
DROP TABLE tags;
ALTER TABLE tags_new RENAME TO tags;
PRAGMA defer_foreign_keys = off;
