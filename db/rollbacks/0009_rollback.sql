-- Rollback 0009: index only, no data loss.
DROP INDEX IF EXISTS idx_users_onboarding_step;
