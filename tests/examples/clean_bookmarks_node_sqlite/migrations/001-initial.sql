--------------------------------------------------------------------------------
-- Up
--------------------------------------------------------------------------------

CREATE TABLE folders (
  id        INTEGER PRIMARY KEY,
  name      TEXT NOT NULL,
  parent_id INTEGER REFERENCES folders(id)
);

CREATE TABLE bookmarks (
  id         INTEGER PRIMARY KEY,
  folder_id  INTEGER REFERENCES folders(id),
  url        TEXT NOT NULL,
  title      TEXT,
  tags       TEXT,
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX bookmarks_folder ON bookmarks(folder_id);

--------------------------------------------------------------------------------
-- Down
--------------------------------------------------------------------------------

DROP INDEX bookmarks_folder;
DROP TABLE bookmarks;
DROP TABLE folders;
