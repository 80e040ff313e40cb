-- Tags record when they were added. ADD COLUMN cannot take a clock default on a table
-- with rows, so item_tags is rebuilt: a leaf (nothing references it), its drop deletes
-- nothing else even with the keys on. Existing tags get the time of the migration.
DROP VIEW IF EXISTS tag_counts;
CREATE TABLE item_tags_new (
    item_id  INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    tag      TEXT NOT NULL,
    added_at INTEGER NOT NULL DEFAULT (unixepoch()),
    PRIMARY KEY (item_id, tag)
) WITHOUT ROWID;
INSERT INTO item_tags_new (item_id, tag) SELECT item_id, tag FROM item_tags;
DROP TABLE item_tags;
ALTER TABLE item_tags_new RENAME TO item_tags;
CREATE INDEX item_tags_tag ON item_tags(tag);
CREATE VIEW tag_counts AS
SELECT tag, COUNT(*) AS items FROM item_tags GROUP BY tag;
