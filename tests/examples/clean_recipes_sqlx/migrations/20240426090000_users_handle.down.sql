DROP VIEW recipe_cards;
ALTER TABLE users RENAME COLUMN handle TO display_name;
CREATE VIEW recipe_cards AS
SELECT r.id, r.slug, r.title, u.display_name AS author, s.rating_count
FROM recipes AS r
JOIN users AS u ON u.id = r.author_id
LEFT JOIN recipe_stats AS s ON s.recipe_id = r.id;
