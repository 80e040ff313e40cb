--------------------------------------------------------------------------------
-- Up
--------------------------------------------------------------------------------

ALTER TABLE bookmarks ADD COLUMN visit_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE bookmarks ADD COLUMN last_visited_at TEXT;

CREATE TABLE visits (
  id          INTEGER PRIMARY KEY,
  bookmark_id INTEGER NOT NULL REFERENCES bookmarks(id) ON DELETE CASCADE,
  visited_at  TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX visits_bookmark ON visits(bookmark_id);

CREATE TRIGGER visits_count AFTER INSERT ON visits
BEGIN
  UPDATE bookmarks
  SET visit_count = visit_count + 1, last_visited_at = new.visited_at
  WHERE id = new.bookmark_id;
END;

--------------------------------------------------------------------------------
-- Down
--------------------------------------------------------------------------------

-- ADD COLUMN cannot be undone in place on older SQLite builds: the table is rebuilt as
-- it was (keys are off under node-sqlite, the dropped parent unlinks nothing)
DROP TRIGGER visits_count;
DROP TABLE visits;
CREATE TABLE bookmarks_old (
  id         INTEGER PRIMARY KEY,
  folder_id  INTEGER REFERENCES folders(id),
  url        TEXT NOT NULL,
  title      TEXT,
  tags       TEXT,
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO bookmarks_old (id, folder_id, url, title, tags, created_at)
SELECT id, folder_id, url, title, tags, created_at FROM bookmarks;
DROP TABLE bookmarks;
ALTER TABLE bookmarks_old RENAME TO bookmarks;
CREATE INDEX bookmarks_folder ON bookmarks(folder_id);
CREATE UNIQUE INDEX bookmarks_url ON bookmarks(url);
