-- Deploy music:artist_country to sqlite
-- requires: artists

BEGIN;

ALTER TABLE artists ADD COLUMN county TEXT;

COMMIT;
