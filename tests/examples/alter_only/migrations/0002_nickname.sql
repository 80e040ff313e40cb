-- Not re-runnable by nature (SQLite cannot guard ADD COLUMN), and nothing else in the
-- file: reported as "not re-runnable", never as a defect.
ALTER TABLE users ADD COLUMN nickname TEXT;
