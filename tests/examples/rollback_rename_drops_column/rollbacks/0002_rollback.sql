-- Planted defect: "undo the rename" by dropping display_name and adding name back. The
-- schema is exactly version 1 again, but every name is gone: display_name held the values
-- of a column that existed before 0002.
ALTER TABLE users DROP COLUMN display_name;
ALTER TABLE users ADD COLUMN name TEXT;
