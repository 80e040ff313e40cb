"""MH206 (update-without-where) on ``json_remove`` of keys the file moved out first.

Taking ``$.theme`` out of ``prefs`` after copying it into a column of its own (or another
table, or in the same UPDATE) loses nothing; removing a key never copied, or copied only
for some rows, deletes it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lint_pairs import second_file

USERS = "CREATE TABLE users (id INTEGER PRIMARY KEY, prefs TEXT NOT NULL DEFAULT '{}');\n"
ADD = "ALTER TABLE users ADD COLUMN theme TEXT;\n"
REMOVE = "UPDATE users SET prefs = json_remove(prefs, {paths});\n"
THEMES = (
    "CREATE TABLE user_themes (user_id INTEGER PRIMARY KEY, theme TEXT);\n"
    "INSERT INTO user_themes (user_id, theme) SELECT id, json_extract(prefs, '$.theme')"
    " FROM users{where};\n"
)
KEYED = " WHERE json_extract(prefs, '$.theme') IS NOT NULL"


def _warned(tmp_path: Path, up: str) -> bool:
    found = second_file(tmp_path, USERS, up, "sqlite")
    return "update-without-where" in {f.kind for f in found}


@pytest.mark.parametrize(
    "up",
    [
        ADD + "UPDATE users SET theme = json_extract(prefs, '$.theme');\n" + REMOVE,
        ADD + f"UPDATE users SET theme = json_extract(prefs, '$.theme'){KEYED};\n" + REMOVE,
        ADD
        + "UPDATE users SET theme = prefs ->> '$.theme', prefs = json_remove(prefs, {paths});\n",
        THEMES.format(where=KEYED) + REMOVE,
    ],
)
def test_removing_a_key_moved_out_keeps_every_value(tmp_path: Path, up: str) -> None:
    assert not _warned(tmp_path, up.format(paths="'$.theme'"))


@pytest.mark.parametrize(
    "up",
    [
        ADD + REMOVE.format(paths="'$.theme'"),
        ADD
        + "UPDATE users SET theme = json_extract(prefs, '$.theme');\n"
        + REMOVE.format(paths="'$.theme', '$.lang'"),
        ADD
        + "UPDATE users SET theme = json_extract(prefs, '$.theme') WHERE id > 10;\n"
        + REMOVE.format(paths="'$.theme'"),
        THEMES.format(where=" WHERE id > 10") + REMOVE.format(paths="'$.theme'"),
        REMOVE.format(paths="'$.theme'")
        + ADD
        + "UPDATE users SET theme = json_extract(prefs, '$.theme');\n",
    ],
)
def test_removing_a_key_not_moved_for_every_row_still_warns(tmp_path: Path, up: str) -> None:
    assert _warned(tmp_path, up)
