-- Rollback 0008: drop the reference data tables, the join table first.
-- WARNING: artist genre selections are lost (seed rows come back on re-apply).
DROP INDEX IF EXISTS idx_artist_genres_genre_id;
DROP TABLE IF EXISTS artist_genres;
DROP TABLE IF EXISTS instruments;
DROP TABLE IF EXISTS genres;
