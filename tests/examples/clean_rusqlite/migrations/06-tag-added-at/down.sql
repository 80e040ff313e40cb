DROP VIEW tag_counts;
CREATE TABLE item_tags_old (
    item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    tag     TEXT NOT NULL,
    PRIMARY KEY (item_id, tag)
) WITHOUT ROWID;
INSERT INTO item_tags_old (item_id, tag) SELECT item_id, tag FROM item_tags;
DROP TABLE item_tags;
ALTER TABLE item_tags_old RENAME TO item_tags;
CREATE INDEX item_tags_tag ON item_tags(tag);
