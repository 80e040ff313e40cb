-- display_name is shown as @handle now; the view that reads it is made again
DROP VIEW recipe_cards;
ALTER TABLE users RENAME COLUMN display_name TO handle;
CREATE VIEW recipe_cards AS
SELECT r.id, r.slug, r.title, u.handle AS author, s.rating_count
FROM recipes AS r
JOIN users AS u ON u.id = r.author_id
LEFT JOIN recipe_stats AS s ON s.recipe_id = r.id;
