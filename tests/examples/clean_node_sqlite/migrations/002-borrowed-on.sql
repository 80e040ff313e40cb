-- Up
ALTER TABLE loans RENAME COLUMN loaned_on TO borrowed_on;
DROP INDEX loans_loaned_on;
CREATE INDEX loans_borrowed_on ON loans (borrowed_on);

-- Down
DROP INDEX loans_borrowed_on;
ALTER TABLE loans RENAME COLUMN borrowed_on TO loaned_on;
CREATE INDEX loans_loaned_on ON loans (loaned_on);
