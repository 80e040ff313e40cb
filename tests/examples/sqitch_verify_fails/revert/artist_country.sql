-- Revert music:artist_country from sqlite

BEGIN;

ALTER TABLE artists DROP COLUMN county;

COMMIT;
