ALTER TABLE customers ADD COLUMN display_name TEXT;
