"""missing_fk_index names the migration from which the key has stood without an index.

wishlist's eight keys were all named at its last migration, where nobody would look.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from migration_harness.checks.run import check_set
from migration_harness.sets.discovery import discover
from migration_harness.sets.overrides import with_foreign_keys
from migration_harness.sets.targets import TARGETS

USERS = "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);"
POSTS = (
    "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id), body TEXT);"
)
INDEXED = POSTS + "\nCREATE INDEX posts_user ON posts (user_id);"
LATER = "CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT);"


def _places(root: Path, files: list[str]) -> list[str | None]:
    folder = root / "migrations"
    folder.mkdir()
    for number, sql in enumerate(files, start=1):
        (folder / f"000{number}_step.sql").write_text(sql + "\n", encoding="utf-8")
    # keys on: goose's default (off, and the application as off) enforces no key, and
    # missing_fk_index is quiet there (tests/test_fk_index_keys.py)
    target = with_foreign_keys(TARGETS["goose"], "on")
    run = check_set(discover(root), target, profile="ci", checks=["fk_index"])
    return [f.migration for f in run.findings if f.kind == "missing_fk_index"]


@pytest.mark.parametrize(
    ("files", "place"),
    [
        ([USERS, POSTS, LATER], "0002_step"),  # made without an index
        ([USERS, INDEXED, "DROP INDEX posts_user;", LATER], "0003_step"),  # index dropped
    ],
)
def test_the_key_is_named_where_it_lost_or_never_had_its_index(
    tmp_path: Path, files: list[str], place: str
) -> None:
    assert _places(tmp_path, files) == [place]
