-- 98 columns plus two: the table reaches D1's limit of 100 and stays within it
-- (d1_add_column_past_limit's quiet twin).
ALTER TABLE tenant_settings ADD COLUMN theme TEXT;
ALTER TABLE tenant_settings ADD COLUMN locale TEXT;
