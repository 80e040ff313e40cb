-- Rollback 0004: drop files and reviews.
-- WARNING: destroys every file record (R2 objects are not touched) and review.
DROP INDEX IF EXISTS idx_reviews_artist_id_created_at;
DROP TABLE IF EXISTS reviews;
DROP INDEX IF EXISTS idx_files_track_id;
DROP INDEX IF EXISTS idx_files_artist_id;
DROP INDEX IF EXISTS idx_files_owner_user_id;
DROP TABLE IF EXISTS files;
