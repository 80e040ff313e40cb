"""MH327 (drop-parent-refused) and a parent rebuild whose children were kept aside first.

Under a runner that keeps the keys on inside its transaction (sqlx here), ``PRAGMA
foreign_keys = OFF`` is ignored and a rebuild's ``DROP TABLE recipes`` deletes every
recipe first: an ingredient still pointing at one refuses it. Teams keep the children's
rows aside (``CREATE TABLE keep AS SELECT * FROM ingredients; DELETE FROM ingredients``),
rebuild, and put them back: the DROP then meets no child row
(``tests/examples/clean_recipes_sqlx``, 20240322090000). The same file without the
``DELETE``, or with a child row written again before the DROP, still fails in production.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lint_pairs import lines_of, second_file

HISTORY = """
CREATE TABLE recipes (id INTEGER PRIMARY KEY, title TEXT NOT NULL, servings INTEGER);
CREATE TABLE ingredients (
    id INTEGER PRIMARY KEY,
    recipe_id INTEGER NOT NULL REFERENCES recipes(id),
    name TEXT NOT NULL
);
"""

KEEP = """CREATE TABLE ingredients_keep AS SELECT * FROM ingredients;
DELETE FROM ingredients;
"""

REBUILD = """UPDATE recipes SET servings = 1 WHERE servings IS NULL;
CREATE TABLE recipes_new (
    id INTEGER PRIMARY KEY,
    servings INTEGER NOT NULL,
    title TEXT NOT NULL
);
INSERT INTO recipes_new (id, servings, title) SELECT id, servings, title FROM recipes;
DROP TABLE recipes;
ALTER TABLE recipes_new RENAME TO recipes;
"""

PUT_BACK = """INSERT INTO ingredients (id, recipe_id, name)
SELECT id, recipe_id, name FROM ingredients_keep;
DROP TABLE ingredients_keep;
"""


def _refused(tmp_path: Path, up: str) -> list[int | None]:
    return lines_of(second_file(tmp_path, HISTORY, up, "sqlx"), "MH327")


def test_children_kept_aside_before_the_drop_are_not_refused(tmp_path: Path) -> None:
    assert _refused(tmp_path, KEEP + REBUILD + PUT_BACK) == []


def test_the_same_rebuild_without_the_delete_is_refused(tmp_path: Path) -> None:
    assert _refused(tmp_path, REBUILD) == [8]


def test_a_copy_without_the_delete_keeps_the_children_in_place(tmp_path: Path) -> None:
    up = "CREATE TABLE ingredients_keep AS SELECT * FROM ingredients;\n" + REBUILD + PUT_BACK
    assert _refused(tmp_path, up) == [9]


@pytest.mark.parametrize(
    "between",
    [
        "INSERT INTO ingredients (recipe_id, name) SELECT id, 'salt' FROM recipes;\n",
        "REPLACE INTO ingredients (id, recipe_id, name) VALUES (1, 1, 'salt');\n",
    ],
)
def test_a_child_row_written_after_the_delete_is_refused(tmp_path: Path, between: str) -> None:
    assert _refused(tmp_path, KEEP + between + REBUILD + PUT_BACK) == [11]


def test_a_trigger_that_can_refill_the_child_is_refused(tmp_path: Path) -> None:
    # the UPDATE of recipes fires it after the DELETE: an ingredient is back before the DROP
    trigger = """CREATE TRIGGER recipes_default_salt AFTER UPDATE ON recipes BEGIN
    INSERT INTO ingredients (recipe_id, name) VALUES (new.id, 'salt');
END;
"""
    assert _refused(tmp_path, trigger + KEEP + REBUILD + PUT_BACK) == [13]


GRANDCHILD = """
CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    ingredient_id INTEGER NOT NULL REFERENCES ingredients(id) ON DELETE CASCADE,
    body TEXT NOT NULL
);
"""


def _cascades(tmp_path: Path, up: str) -> list[int | None]:
    found = second_file(tmp_path, HISTORY + GRANDCHILD, up, "sqlx")
    return lines_of(found, "MH302")


def test_emptying_a_kept_child_cascades_into_its_own_children(tmp_path: Path) -> None:
    # the DELETE of ingredients takes every note with it; putting ingredients back
    # brings none back (clean_helpdesk_refinery's first draft lost its comments so)
    assert _cascades(tmp_path, KEEP + REBUILD + PUT_BACK) == [2]


def test_grandchildren_kept_aside_too_are_put_back(tmp_path: Path) -> None:
    keep_notes = "CREATE TABLE notes_keep AS SELECT * FROM notes;\nDELETE FROM notes;\n"
    back_notes = (
        "INSERT INTO notes (id, ingredient_id, body)\n"
        "SELECT id, ingredient_id, body FROM notes_keep;\nDROP TABLE notes_keep;\n"
    )
    up = keep_notes + KEEP + REBUILD + PUT_BACK + back_notes
    assert _cascades(tmp_path, up) == []
