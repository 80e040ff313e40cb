DROP INDEX IF EXISTS idx_tags_name;
DROP INDEX IF EXISTS idx_users_email;
