-- Planted defect: the table already has 100 columns, D1's limit per table. SQLite
-- takes up to 2000 and every local test passes; D1 refuses the first ADD COLUMN.
ALTER TABLE tenant_settings ADD COLUMN theme TEXT;
ALTER TABLE tenant_settings ADD COLUMN locale TEXT;
