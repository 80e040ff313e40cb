-- Migration number: 0005 	 2025-03-10T09:00:00.000Z
-- pages.body is renamed markdown. The external-content index reads the content table's
-- columns by name, so it is dropped with its triggers and made again over the new name,
-- then rebuilt from the rows. RENAME COLUMN rewrites pages_keep_revision itself.
DROP TRIGGER pages_fts_ai;
DROP TRIGGER pages_fts_ad;
DROP TRIGGER pages_fts_au;
DROP TABLE pages_fts;
ALTER TABLE pages RENAME COLUMN body TO markdown;
CREATE VIRTUAL TABLE pages_fts USING fts5(title, markdown, content='pages', content_rowid='id');
INSERT INTO pages_fts (pages_fts) VALUES ('rebuild');
CREATE TRIGGER pages_fts_ai AFTER INSERT ON pages BEGIN
    INSERT INTO pages_fts (rowid, title, markdown) VALUES (new.id, new.title, new.markdown);
END;
CREATE TRIGGER pages_fts_ad AFTER DELETE ON pages BEGIN
    INSERT INTO pages_fts (pages_fts, rowid, title, markdown)
        VALUES ('delete', old.id, old.title, old.markdown);
END;
CREATE TRIGGER pages_fts_au AFTER UPDATE OF title, markdown ON pages BEGIN
    INSERT INTO pages_fts (pages_fts, rowid, title, markdown)
        VALUES ('delete', old.id, old.title, old.markdown);
    INSERT INTO pages_fts (rowid, title, markdown) VALUES (new.id, new.title, new.markdown);
END;
