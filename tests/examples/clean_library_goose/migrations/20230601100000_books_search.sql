-- Full-text search over titles (external content, kept by triggers).
-- +goose Up
CREATE VIRTUAL TABLE books_fts USING fts5(title, content='books', content_rowid='id');
INSERT INTO books_fts (books_fts) VALUES ('rebuild');
-- +goose StatementBegin
CREATE TRIGGER books_fts_ai AFTER INSERT ON books BEGIN
    INSERT INTO books_fts (rowid, title) VALUES (new.id, new.title);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER books_fts_ad AFTER DELETE ON books BEGIN
    INSERT INTO books_fts (books_fts, rowid, title) VALUES ('delete', old.id, old.title);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER books_fts_au AFTER UPDATE OF title ON books BEGIN
    INSERT INTO books_fts (books_fts, rowid, title) VALUES ('delete', old.id, old.title);
    INSERT INTO books_fts (rowid, title) VALUES (new.id, new.title);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER books_fts_au;
DROP TRIGGER books_fts_ad;
DROP TRIGGER books_fts_ai;
DROP TABLE books_fts;
