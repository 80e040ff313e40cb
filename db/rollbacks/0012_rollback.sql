-- Rollback 0012: index only, no data loss.
DROP INDEX IF EXISTS idx_reviews_reviewer_user_id;
