--------------------------------------------------------------------------------
-- Up
--------------------------------------------------------------------------------

ALTER TABLE bookmarks ADD COLUMN archived_at TEXT;
CREATE INDEX bookmarks_live_recent ON bookmarks(created_at DESC) WHERE archived_at IS NULL;
CREATE VIEW reading_list AS
  SELECT id, title, url, host FROM bookmarks
  WHERE archived_at IS NULL AND visit_count = 0;

--------------------------------------------------------------------------------
-- Down
--------------------------------------------------------------------------------

DROP VIEW reading_list;
DROP INDEX bookmarks_live_recent;
ALTER TABLE bookmarks DROP COLUMN archived_at;
