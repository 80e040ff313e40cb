-- units were typed by hand: fold them to lower case, then keep them so. ingredients has
-- no dependants, so the rebuild drops nothing else even with the keys on.
UPDATE ingredients SET unit = lower(trim(unit)) WHERE unit IS NOT NULL;
UPDATE ingredients SET unit = NULL WHERE unit = '';

CREATE TABLE ingredients_new (
    id        INTEGER PRIMARY KEY,
    recipe_id INTEGER NOT NULL REFERENCES recipes(id),
    name      TEXT NOT NULL,
    unit      TEXT CHECK (unit = lower(trim(unit)) AND unit <> ''),
    qty       REAL
);
INSERT INTO ingredients_new (id, recipe_id, name, unit, qty)
SELECT id, recipe_id, name, unit, qty FROM ingredients;
DROP TABLE ingredients;
ALTER TABLE ingredients_new RENAME TO ingredients;
CREATE INDEX ingredients_recipe ON ingredients(recipe_id);
