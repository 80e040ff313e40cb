-- Rollback 0005: drop analytics and AI usage tables (no other table references them).
-- WARNING: destroys all analytics events, daily metrics and AI usage records.
DROP INDEX IF EXISTS idx_ai_usage_user_id_created_at;
DROP TABLE IF EXISTS ai_usage;
DROP TABLE IF EXISTS analytics_daily_metrics;
DROP INDEX IF EXISTS idx_analytics_events_artist_id_created_at;
DROP INDEX IF EXISTS idx_analytics_events_user_id;
DROP TABLE IF EXISTS analytics_events;
