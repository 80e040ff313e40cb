-- depends: 0002_book_isbn
-- yoyo already runs this file in a transaction: its BEGIN fails.
BEGIN;
ALTER TABLE authors ADD COLUMN bio TEXT;
COMMIT;
