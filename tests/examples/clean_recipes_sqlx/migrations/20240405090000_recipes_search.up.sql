CREATE VIRTUAL TABLE recipes_fts USING fts5(title, body, content='recipes', content_rowid='id');
INSERT INTO recipes_fts(recipes_fts) VALUES ('rebuild');

CREATE TRIGGER recipes_fts_insert AFTER INSERT ON recipes BEGIN
    INSERT INTO recipes_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
END;
CREATE TRIGGER recipes_fts_delete AFTER DELETE ON recipes BEGIN
    INSERT INTO recipes_fts(recipes_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
END;
CREATE TRIGGER recipes_fts_update AFTER UPDATE OF title, body ON recipes BEGIN
    INSERT INTO recipes_fts(recipes_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
    INSERT INTO recipes_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
END;
