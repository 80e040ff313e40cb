DROP INDEX episodes_published;
--bun:split
ALTER TABLE episodes DROP COLUMN chapter_count;
--bun:split
ALTER TABLE episodes DROP COLUMN chapters;
