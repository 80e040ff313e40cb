-- Tags kept in attrs.tags get a table of their own, one row per item and tag. The JSON
-- stays in attrs for the old reader until it is retired.
CREATE TABLE item_tags (
    item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    tag     TEXT NOT NULL,
    PRIMARY KEY (item_id, tag)
) WITHOUT ROWID;
INSERT OR IGNORE INTO item_tags (item_id, tag)
SELECT i.id, t.value
FROM items AS i, json_each(i.attrs, '$.tags') AS t
WHERE json_type(i.attrs, '$.tags') = 'array' AND t.type = 'text';
CREATE INDEX item_tags_tag ON item_tags(tag);
