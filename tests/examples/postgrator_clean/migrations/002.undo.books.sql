BEGIN;
DROP INDEX books_author_id;
DROP TABLE books;
COMMIT;
