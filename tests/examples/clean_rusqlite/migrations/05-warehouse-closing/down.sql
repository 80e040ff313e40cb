DROP INDEX warehouses_name_open;
ALTER TABLE warehouses DROP COLUMN closed_at;
