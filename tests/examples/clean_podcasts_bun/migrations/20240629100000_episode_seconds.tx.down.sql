ALTER TABLE episodes DROP COLUMN duration_s;
