-- +micrate Up
-- slugs were typed by moderators; they are folded, and a clash gets the board's id
UPDATE boards SET slug = lower(trim(slug)) WHERE slug <> lower(trim(slug));
UPDATE boards SET slug = slug || '-' || id WHERE id NOT IN (SELECT MIN(id) FROM boards GROUP BY slug);
CREATE UNIQUE INDEX boards_slug ON boards(slug);

-- +micrate Down
DROP INDEX boards_slug;
