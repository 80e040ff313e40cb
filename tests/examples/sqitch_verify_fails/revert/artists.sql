-- Revert music:artists from sqlite

BEGIN;

DROP TABLE tracks;
DROP TABLE artists;

COMMIT;
