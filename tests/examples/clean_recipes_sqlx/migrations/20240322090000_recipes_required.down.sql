CREATE TABLE ingredients_keep AS SELECT * FROM ingredients;
DELETE FROM ingredients;

CREATE TABLE recipes_old (
    id         INTEGER PRIMARY KEY,
    author_id  INTEGER NOT NULL REFERENCES users(id),
    title      TEXT NOT NULL,
    body       TEXT NOT NULL DEFAULT '',
    servings   INTEGER,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    slug       TEXT
);
INSERT INTO recipes_old (id, author_id, title, body, servings, created_at, slug)
SELECT id, author_id, title, body, servings, created_at, slug FROM recipes;
DROP TABLE recipes;
ALTER TABLE recipes_old RENAME TO recipes;
CREATE INDEX recipes_author ON recipes(author_id);
CREATE UNIQUE INDEX recipes_slug ON recipes(slug);

INSERT INTO ingredients (id, recipe_id, name, qty, unit)
SELECT id, recipe_id, name, qty, unit FROM ingredients_keep;
DROP TABLE ingredients_keep;
