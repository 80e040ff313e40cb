--------------------------------------------------------------------------------
-- Up
--------------------------------------------------------------------------------

-- tags were a comma list; they become rows (the column stays until the app stops
-- writing it)
CREATE TABLE tags (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL COLLATE NOCASE UNIQUE
);

CREATE TABLE bookmark_tags (
  bookmark_id INTEGER NOT NULL REFERENCES bookmarks(id) ON DELETE CASCADE,
  tag_id      INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
  PRIMARY KEY (bookmark_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX bookmark_tags_tag ON bookmark_tags(tag_id);

INSERT OR IGNORE INTO tags (name)
WITH RECURSIVE split(bookmark_id, rest, tag) AS (
  SELECT id, tags || ',', NULL FROM bookmarks WHERE tags IS NOT NULL
  UNION ALL
  SELECT bookmark_id, substr(rest, instr(rest, ',') + 1), trim(substr(rest, 1, instr(rest, ',') - 1))
  FROM split WHERE rest <> ''
)
SELECT tag FROM split WHERE tag IS NOT NULL AND tag <> '';

INSERT OR IGNORE INTO bookmark_tags (bookmark_id, tag_id)
WITH RECURSIVE split(bookmark_id, rest, tag) AS (
  SELECT id, tags || ',', NULL FROM bookmarks WHERE tags IS NOT NULL
  UNION ALL
  SELECT bookmark_id, substr(rest, instr(rest, ',') + 1), trim(substr(rest, 1, instr(rest, ',') - 1))
  FROM split WHERE rest <> ''
)
SELECT s.bookmark_id, t.id FROM split AS s JOIN tags AS t ON t.name = s.tag
WHERE s.tag IS NOT NULL AND s.tag <> '';

--------------------------------------------------------------------------------
-- Down
--------------------------------------------------------------------------------

DROP TABLE bookmark_tags;
DROP TABLE tags;
