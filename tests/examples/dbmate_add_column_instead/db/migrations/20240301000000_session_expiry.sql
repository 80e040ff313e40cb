-- Clean twin of dbmate_create_table_skipped: the column is added to the table there.
-- migrate:up
ALTER TABLE sessions ADD COLUMN expires_at TEXT NOT NULL DEFAULT '';

-- migrate:down
ALTER TABLE sessions DROP COLUMN expires_at;
