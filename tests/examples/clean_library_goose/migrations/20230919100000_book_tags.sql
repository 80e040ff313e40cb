-- Free tags on books, case-insensitive, keyed by (book, tag).
-- +goose Up
CREATE TABLE book_tags (
    book_id INTEGER NOT NULL REFERENCES books(id) ON DELETE CASCADE,
    tag     TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (book_id, tag)
) WITHOUT ROWID;
CREATE INDEX book_tags_tag_idx ON book_tags(tag);

-- +goose Down
DROP TABLE book_tags;
