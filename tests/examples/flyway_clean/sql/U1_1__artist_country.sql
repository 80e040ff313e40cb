ALTER TABLE artists DROP COLUMN country;
