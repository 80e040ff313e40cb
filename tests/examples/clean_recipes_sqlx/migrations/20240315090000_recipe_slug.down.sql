DROP INDEX recipes_slug;
ALTER TABLE recipes DROP COLUMN slug;
