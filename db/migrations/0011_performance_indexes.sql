-- Migration 0011: indexes for frequent WHERE / ORDER BY patterns
-- (feeds sorted by created_at, status filters of queues and marketplace).
-- Index only, safe to run twice.

CREATE INDEX IF NOT EXISTS idx_users_created_at ON users(created_at);
CREATE INDEX IF NOT EXISTS idx_users_role ON users(role);
CREATE INDEX IF NOT EXISTS idx_artists_location_city ON artists(location_city);
CREATE INDEX IF NOT EXISTS idx_artists_created_at ON artists(created_at);
CREATE INDEX IF NOT EXISTS idx_tracks_created_at ON tracks(created_at);
CREATE INDEX IF NOT EXISTS idx_tracks_genre ON tracks(genre);
CREATE INDEX IF NOT EXISTS idx_gigs_status_event_date ON gigs(status, event_date);
CREATE INDEX IF NOT EXISTS idx_gigs_created_at ON gigs(created_at);
CREATE INDEX IF NOT EXISTS idx_gig_applications_status ON gig_applications(status);
CREATE INDEX IF NOT EXISTS idx_conversations_last_message_at ON conversations(last_message_at);
CREATE INDEX IF NOT EXISTS idx_files_created_at ON files(created_at);
CREATE INDEX IF NOT EXISTS idx_analytics_events_event_type_created_at ON analytics_events(event_type, created_at);
CREATE INDEX IF NOT EXISTS idx_ai_usage_created_at ON ai_usage(created_at);
CREATE INDEX IF NOT EXISTS idx_notification_queue_status_created_at ON notification_queue(status, created_at);
CREATE INDEX IF NOT EXISTS idx_cron_logs_status ON cron_logs(status);
