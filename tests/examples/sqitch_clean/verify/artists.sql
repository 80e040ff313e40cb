-- Verify music:artists on sqlite

BEGIN;

SELECT id, name FROM artists WHERE 0;
SELECT id, artist_id, title FROM tracks WHERE 0;

ROLLBACK;
