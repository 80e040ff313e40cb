-- Rollback 0011: index only, no data loss.
DROP INDEX IF EXISTS idx_cron_logs_status;
DROP INDEX IF EXISTS idx_notification_queue_status_created_at;
DROP INDEX IF EXISTS idx_ai_usage_created_at;
DROP INDEX IF EXISTS idx_analytics_events_event_type_created_at;
DROP INDEX IF EXISTS idx_files_created_at;
DROP INDEX IF EXISTS idx_conversations_last_message_at;
DROP INDEX IF EXISTS idx_gig_applications_status;
DROP INDEX IF EXISTS idx_gigs_created_at;
DROP INDEX IF EXISTS idx_gigs_status_event_date;
DROP INDEX IF EXISTS idx_tracks_genre;
DROP INDEX IF EXISTS idx_tracks_created_at;
DROP INDEX IF EXISTS idx_artists_created_at;
DROP INDEX IF EXISTS idx_artists_location_city;
DROP INDEX IF EXISTS idx_users_role;
DROP INDEX IF EXISTS idx_users_created_at;
