-- Up
-- Join dates become Unix seconds; every stored date has the exact CURRENT_TIMESTAMP shape
-- (the CHECK on joined), so the conversion and its rollback are exact.
ALTER TABLE members ADD COLUMN joined_at INTEGER;
UPDATE members SET joined_at = CAST(strftime('%s', joined) AS INTEGER) WHERE joined IS NOT NULL;
ALTER TABLE members DROP COLUMN joined;

-- Down
-- ADD COLUMN cannot take DEFAULT CURRENT_TIMESTAMP on a table with rows: rebuild instead
-- (node-sqlite leaves the keys off, so dropping members touches no loan). The view that
-- reads members is made again after the rename.
DROP VIEW open_loans;
CREATE TABLE members_old (
  id     INTEGER PRIMARY KEY,
  email  TEXT NOT NULL,
  name   TEXT NOT NULL,
  joined TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
         CHECK (joined IS strftime('%Y-%m-%d %H:%M:%S', joined))
);
INSERT INTO members_old (id, email, name, joined)
SELECT id, email, name, COALESCE(datetime(joined_at, 'unixepoch'), CURRENT_TIMESTAMP) FROM members;
DROP TABLE members;
ALTER TABLE members_old RENAME TO members;
CREATE VIEW open_loans AS
SELECT l.id, b.title, m.name FROM loans AS l
JOIN books AS b ON b.id = l.book_id
JOIN members AS m ON m.id = l.member_id
WHERE l.state IN ('out', 'lost');
