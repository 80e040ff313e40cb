-- Migration number: 0003 	 2025-02-17T09:00:00.000Z
-- Full-text search over pages: an external-content FTS5 index filled from the rows
-- already there, kept in step by three triggers.
CREATE VIRTUAL TABLE pages_fts USING fts5(title, body, content='pages', content_rowid='id');
INSERT INTO pages_fts (pages_fts) VALUES ('rebuild');
CREATE TRIGGER pages_fts_ai AFTER INSERT ON pages BEGIN
    INSERT INTO pages_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
END;
CREATE TRIGGER pages_fts_ad AFTER DELETE ON pages BEGIN
    INSERT INTO pages_fts (pages_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
END;
CREATE TRIGGER pages_fts_au AFTER UPDATE OF title, body ON pages BEGIN
    INSERT INTO pages_fts (pages_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
    INSERT INTO pages_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
END;
