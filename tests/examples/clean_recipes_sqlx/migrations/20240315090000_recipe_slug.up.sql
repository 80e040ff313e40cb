ALTER TABLE recipes ADD COLUMN slug TEXT;
UPDATE recipes SET slug = 'recipe-' || id;
CREATE UNIQUE INDEX recipes_slug ON recipes(slug);
