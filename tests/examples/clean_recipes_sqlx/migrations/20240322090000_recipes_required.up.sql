-- slug and servings become required and servings positive. sqlx runs this file in a
-- transaction with the keys on, where PRAGMA foreign_keys = OFF does nothing and a
-- deferred check would still count the ingredients DROP TABLE orphans: they are kept
-- aside while recipes is rebuilt and put back after, every row.
CREATE TABLE ingredients_keep AS SELECT * FROM ingredients;
DELETE FROM ingredients;

UPDATE recipes SET slug = 'recipe-' || id WHERE slug IS NULL;
UPDATE recipes SET servings = 1 WHERE servings IS NULL OR servings < 1;

CREATE TABLE recipes_new (
    id         INTEGER PRIMARY KEY,
    slug       TEXT NOT NULL,
    author_id  INTEGER NOT NULL REFERENCES users(id),
    title      TEXT NOT NULL,
    servings   INTEGER NOT NULL CHECK (servings > 0),
    body       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO recipes_new (id, slug, author_id, title, servings, body, created_at)
SELECT id, slug, author_id, title, servings, body, created_at FROM recipes;
DROP TABLE recipes;
ALTER TABLE recipes_new RENAME TO recipes;
CREATE INDEX recipes_author ON recipes(author_id);
CREATE UNIQUE INDEX recipes_slug ON recipes(slug);

INSERT INTO ingredients (id, recipe_id, name, qty, unit)
SELECT id, recipe_id, name, qty, unit FROM ingredients_keep;
DROP TABLE ingredients_keep;
