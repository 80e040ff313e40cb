DROP VIEW author_post_counts;
ALTER TABLE authors DROP COLUMN theme;
ALTER TABLE authors DROP COLUMN settings;
