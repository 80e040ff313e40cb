CREATE VIRTUAL TABLE episodes_fts USING fts5(title, content='episodes', content_rowid='id');
--bun:split
INSERT INTO episodes_fts(episodes_fts) VALUES ('rebuild');
--bun:split
CREATE TRIGGER episodes_fts_ai AFTER INSERT ON episodes BEGIN
    INSERT INTO episodes_fts(rowid, title) VALUES (new.id, new.title);
END;
--bun:split
CREATE TRIGGER episodes_fts_ad AFTER DELETE ON episodes BEGIN
    INSERT INTO episodes_fts(episodes_fts, rowid, title) VALUES ('delete', old.id, old.title);
END;
--bun:split
CREATE TRIGGER episodes_fts_au AFTER UPDATE OF title ON episodes BEGIN
    INSERT INTO episodes_fts(episodes_fts, rowid, title) VALUES ('delete', old.id, old.title);
    INSERT INTO episodes_fts(rowid, title) VALUES (new.id, new.title);
END;
