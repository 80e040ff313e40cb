-- Rollback 0010: drop the cron run log (no other table references it).
-- WARNING: job history is lost.
DROP INDEX IF EXISTS idx_cron_logs_job_name_started_at;
DROP TABLE IF EXISTS cron_logs;
