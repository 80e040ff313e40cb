-- +micrate Up
CREATE VIRTUAL TABLE posts_fts USING fts5(body, content='posts', content_rowid='id');
INSERT INTO posts_fts(posts_fts) VALUES ('rebuild');

-- +micrate StatementBegin
CREATE TRIGGER posts_fts_ai AFTER INSERT ON posts BEGIN
  INSERT INTO posts_fts(rowid, body) VALUES (new.id, new.body);
END;
-- +micrate StatementEnd

-- +micrate StatementBegin
CREATE TRIGGER posts_fts_ad AFTER DELETE ON posts BEGIN
  INSERT INTO posts_fts(posts_fts, rowid, body) VALUES ('delete', old.id, old.body);
END;
-- +micrate StatementEnd

-- +micrate StatementBegin
CREATE TRIGGER posts_fts_au AFTER UPDATE OF body ON posts BEGIN
  INSERT INTO posts_fts(posts_fts, rowid, body) VALUES ('delete', old.id, old.body);
  INSERT INTO posts_fts(rowid, body) VALUES (new.id, new.body);
END;
-- +micrate StatementEnd

-- +micrate Down
DROP TRIGGER posts_fts_au;
DROP TRIGGER posts_fts_ad;
DROP TRIGGER posts_fts_ai;
DROP TABLE posts_fts;
