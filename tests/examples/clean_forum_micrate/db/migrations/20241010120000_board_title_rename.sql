-- +micrate Up
DROP VIEW board_activity;
ALTER TABLE boards RENAME COLUMN title TO name;
CREATE VIEW board_activity AS SELECT b.slug, b.name, COUNT(t.id) AS threads, MAX(t.last_post_at) AS last_post_at FROM boards AS b LEFT JOIN threads AS t ON t.board_id = b.id GROUP BY b.id;

-- +micrate Down
DROP VIEW board_activity;
ALTER TABLE boards RENAME COLUMN name TO title;
CREATE VIEW board_activity AS SELECT b.slug, b.title, COUNT(t.id) AS threads, MAX(t.last_post_at) AS last_post_at FROM boards AS b LEFT JOIN threads AS t ON t.board_id = b.id GROUP BY b.id;
