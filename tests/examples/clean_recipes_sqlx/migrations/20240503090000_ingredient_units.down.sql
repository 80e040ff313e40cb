CREATE TABLE ingredients_old (
    id        INTEGER PRIMARY KEY,
    recipe_id INTEGER NOT NULL REFERENCES recipes(id),
    name      TEXT NOT NULL,
    qty       REAL,
    unit      TEXT
);
INSERT INTO ingredients_old (id, recipe_id, name, qty, unit)
SELECT id, recipe_id, name, qty, unit FROM ingredients;
DROP TABLE ingredients;
ALTER TABLE ingredients_old RENAME TO ingredients;
CREATE INDEX ingredients_recipe ON ingredients(recipe_id);
