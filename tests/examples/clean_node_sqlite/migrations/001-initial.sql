--------------------------------------------------------------------------------
-- Up
--------------------------------------------------------------------------------

CREATE TABLE members (
  id     INTEGER PRIMARY KEY,
  email  TEXT NOT NULL,
  name   TEXT NOT NULL,
  joined TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
         CHECK (joined IS strftime('%Y-%m-%d %H:%M:%S', joined))
);

CREATE TABLE books (
  id     INTEGER PRIMARY KEY,
  title  TEXT NOT NULL,
  genre  TEXT
);

CREATE TABLE loans (
  id        INTEGER PRIMARY KEY,
  book_id   INTEGER NOT NULL REFERENCES books (id) ON DELETE CASCADE,
  member_id INTEGER NOT NULL REFERENCES members (id),
  state     TEXT NOT NULL DEFAULT 'out' CHECK (state IN ('out', 'returned')),
  loaned_on TEXT NOT NULL DEFAULT CURRENT_DATE
);
CREATE INDEX loans_loaned_on ON loans (loaned_on);

--------------------------------------------------------------------------------
-- Down
--------------------------------------------------------------------------------

DROP INDEX loans_loaned_on;
DROP TABLE loans;
DROP TABLE books;
DROP TABLE members;
