-- Rollback 0006: drop the delivery queues (no other table references them).
-- WARNING: undelivered e-mails and notifications are lost.
DROP INDEX IF EXISTS idx_notification_queue_user_id_created_at;
DROP TABLE IF EXISTS notification_queue;
DROP INDEX IF EXISTS idx_email_delivery_queue_status_scheduled_at;
DROP INDEX IF EXISTS idx_email_delivery_queue_user_id;
DROP TABLE IF EXISTS email_delivery_queue;
