DROP INDEX recipes_cuisine;
ALTER TABLE recipes DROP COLUMN cuisine;
ALTER TABLE recipes DROP COLUMN meta;
