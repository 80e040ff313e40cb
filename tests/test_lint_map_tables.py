"""MH203 (rebuild-drops-column) for a foreign key re-pointed through a map of ids.

``posts.user_uuid`` becomes ``posts.user_id`` through ``user_map (old_id, new_id)``, a
TEMP table (or a plain one the file drops) filled with ``SELECT uuid, id FROM users``:
each post's uuid is still ``users.uuid`` of its ``user_id``, one join away, as with a
join on ``users`` itself. A map filled otherwise (new ids counted, old ids from a column
that is not a key, or from a column the file drops) keeps nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lint_pairs import second_file

HISTORY = (
    "CREATE TABLE users (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, name TEXT);\n"
    "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_uuid TEXT NOT NULL"
    " REFERENCES users(uuid), title TEXT);\n"
)
DECLARED = "CREATE {temp}TABLE user_map (old_id TEXT NOT NULL, new_id INTEGER NOT NULL);\n"
FILLED = "INSERT INTO user_map (old_id, new_id) SELECT {old}, {new} FROM users;\n"
CREATED_AS = "CREATE {temp}TABLE user_map AS SELECT {old} AS old_id, {new} AS new_id FROM users;\n"
REBUILD = (
    "CREATE TABLE posts_new (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL"
    " REFERENCES users(id), title TEXT);\n"
    "INSERT INTO posts_new (id, user_id, title) SELECT p.id, m.new_id, p.title"
    " FROM posts p JOIN user_map m ON m.old_id = p.user_uuid;\n"
    "DROP TABLE posts;\n"
    "ALTER TABLE posts_new RENAME TO posts;\n"
    "DROP TABLE user_map;\n"
)


def _warned(tmp_path: Path, up: str) -> bool:
    found = second_file(tmp_path, HISTORY, up, "sqlite")
    return "rebuild-drops-column" in {f.kind for f in found}


def _map(temp: str, old: str = "uuid", new: str = "id", *, created_as: bool = False) -> str:
    if created_as:
        return CREATED_AS.format(temp=temp, old=old, new=new)
    return DECLARED.format(temp=temp) + FILLED.format(old=old, new=new)


@pytest.mark.parametrize("temp", ["TEMP ", ""])
@pytest.mark.parametrize("created_as", [False, True])
def test_a_map_filled_from_a_key_that_stays_keeps_the_column(
    tmp_path: Path, temp: str, created_as: bool
) -> None:
    assert not _warned(tmp_path, _map(temp, created_as=created_as) + REBUILD)


@pytest.mark.parametrize(
    ("old", "new"),
    [("uuid", "row_number() OVER (ORDER BY id)"), ("name", "id"), ("uuid", "length(name)")],
)
def test_a_map_not_made_of_keys_still_warns(tmp_path: Path, old: str, new: str) -> None:
    assert _warned(tmp_path, _map("TEMP ", old, new) + REBUILD)


def test_a_map_from_a_column_the_file_drops_still_warns(tmp_path: Path) -> None:
    up = _map("TEMP ") + REBUILD
    up += (
        "CREATE TABLE users_new (id INTEGER PRIMARY KEY, name TEXT);\n"
        "INSERT INTO users_new (id, name) SELECT id, name FROM users;\n"
        "DROP TABLE users;\n"
        "ALTER TABLE users_new RENAME TO users;\n"
    )
    found = second_file(tmp_path, HISTORY, up, "sqlite")
    lost = [f.message for f in found if f.kind == "rebuild-drops-column"]
    assert any("posts.user_uuid" in m for m in lost)


def test_a_map_written_again_before_the_copy_still_warns(tmp_path: Path) -> None:
    up = _map("TEMP ") + "UPDATE user_map SET new_id = new_id + 1;\n" + REBUILD
    assert _warned(tmp_path, up)
