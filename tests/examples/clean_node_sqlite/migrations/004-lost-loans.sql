-- Up
-- A loan can now be lost. The CHECK is widened by a rebuild that copies every row; the
-- trigger and the view that read loans are dropped first and made again after.
CREATE TABLE loan_history (
  loan_id INTEGER NOT NULL,
  state   TEXT NOT NULL
);
CREATE TRIGGER loans_state_history AFTER UPDATE OF state ON loans
BEGIN
  INSERT INTO loan_history (loan_id, state) VALUES (new.id, new.state);
END;
CREATE VIEW open_loans AS
SELECT l.id, b.title, m.name FROM loans AS l
JOIN books AS b ON b.id = l.book_id
JOIN members AS m ON m.id = l.member_id
WHERE l.state = 'out';

DROP VIEW open_loans;
DROP TRIGGER loans_state_history;
CREATE TABLE loans_new (
  id          INTEGER PRIMARY KEY,
  book_id     INTEGER NOT NULL REFERENCES books (id) ON DELETE CASCADE,
  member_id   INTEGER NOT NULL REFERENCES members (id),
  state       TEXT NOT NULL DEFAULT 'out' CHECK (state IN ('out', 'returned', 'lost')),
  borrowed_on TEXT NOT NULL DEFAULT CURRENT_DATE
);
INSERT INTO loans_new (id, book_id, member_id, state, borrowed_on)
SELECT id, book_id, member_id, state, borrowed_on FROM loans;
DROP TABLE loans;
ALTER TABLE loans_new RENAME TO loans;
CREATE INDEX loans_borrowed_on ON loans (borrowed_on);
CREATE TRIGGER loans_state_history AFTER UPDATE OF state ON loans
BEGIN
  INSERT INTO loan_history (loan_id, state) VALUES (new.id, new.state);
END;
CREATE VIEW open_loans AS
SELECT l.id, b.title, m.name FROM loans AS l
JOIN books AS b ON b.id = l.book_id
JOIN members AS m ON m.id = l.member_id
WHERE l.state IN ('out', 'lost');

-- Down
DROP VIEW open_loans;
DROP TRIGGER loans_state_history;
DROP TABLE loan_history;
-- Before 'lost' existed a lost book stayed out.
UPDATE loans SET state = 'out' WHERE state = 'lost';
CREATE TABLE loans_old (
  id        INTEGER PRIMARY KEY,
  book_id   INTEGER NOT NULL REFERENCES books (id) ON DELETE CASCADE,
  member_id INTEGER NOT NULL REFERENCES members (id),
  state     TEXT NOT NULL DEFAULT 'out' CHECK (state IN ('out', 'returned')),
  borrowed_on TEXT NOT NULL DEFAULT CURRENT_DATE
);
INSERT INTO loans_old (id, book_id, member_id, state, borrowed_on)
SELECT id, book_id, member_id, state, borrowed_on FROM loans;
DROP TABLE loans;
ALTER TABLE loans_old RENAME TO loans;
CREATE INDEX loans_borrowed_on ON loans (borrowed_on);
