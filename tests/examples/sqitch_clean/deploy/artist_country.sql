-- Deploy music:artist_country to sqlite
-- requires: artists

BEGIN;

ALTER TABLE artists ADD COLUMN country TEXT;

COMMIT;
