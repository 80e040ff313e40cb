-- depends: 0002_book_isbn
-- transactional: false
BEGIN;
ALTER TABLE authors ADD COLUMN bio TEXT;
COMMIT;
