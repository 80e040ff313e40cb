--------------------------------------------------------------------------------
-- Up
--------------------------------------------------------------------------------

CREATE VIRTUAL TABLE bookmarks_fts USING fts5(title, url, content='bookmarks', content_rowid='id');
INSERT INTO bookmarks_fts(bookmarks_fts) VALUES ('rebuild');

CREATE TRIGGER bookmarks_fts_ai AFTER INSERT ON bookmarks BEGIN
  INSERT INTO bookmarks_fts(rowid, title, url) VALUES (new.id, new.title, new.url);
END;
CREATE TRIGGER bookmarks_fts_ad AFTER DELETE ON bookmarks BEGIN
  INSERT INTO bookmarks_fts(bookmarks_fts, rowid, title, url) VALUES ('delete', old.id, old.title, old.url);
END;
CREATE TRIGGER bookmarks_fts_au AFTER UPDATE OF title, url ON bookmarks BEGIN
  INSERT INTO bookmarks_fts(bookmarks_fts, rowid, title, url) VALUES ('delete', old.id, old.title, old.url);
  INSERT INTO bookmarks_fts(rowid, title, url) VALUES (new.id, new.title, new.url);
END;

--------------------------------------------------------------------------------
-- Down
--------------------------------------------------------------------------------

DROP TRIGGER bookmarks_fts_au;
DROP TRIGGER bookmarks_fts_ad;
DROP TRIGGER bookmarks_fts_ai;
DROP TABLE bookmarks_fts;
