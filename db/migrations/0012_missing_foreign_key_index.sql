-- Migration 0012: index the one foreign key left unindexed by 0004
-- (reviews.reviewer_user_id -> users.id), found by the task-11.6 audit.
-- Gives 100% foreign key index coverage. Index only, safe to run twice.

CREATE INDEX IF NOT EXISTS idx_reviews_reviewer_user_id ON reviews(reviewer_user_id);
