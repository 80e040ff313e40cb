-- JSON settings per author, a generated theme column, a view.
-- +migrate Up
ALTER TABLE authors ADD COLUMN settings TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(settings));
ALTER TABLE authors ADD COLUMN theme TEXT GENERATED ALWAYS AS (settings ->> '$.theme') VIRTUAL;
CREATE VIEW author_post_counts AS
SELECT a.id AS author_id, a.name, COUNT(p.id) AS post_count
FROM authors AS a
LEFT JOIN posts AS p ON p.author_id = a.id
GROUP BY a.id, a.name;

-- +migrate Down
DROP VIEW author_post_counts;
ALTER TABLE authors DROP COLUMN theme;
ALTER TABLE authors DROP COLUMN settings;
