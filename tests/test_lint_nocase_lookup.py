"""MH218 (rebuild-copy-filters) and a lookup topped up under a NOCASE UNIQUE key.

``INSERT OR IGNORE INTO users (username) SELECT author FROM posts`` skips 'bob' where
'Bob' is there (``username`` is ``COLLATE NOCASE UNIQUE``). The rebuild's ``JOIN users AS
u ON u.username = p.author`` compares under its left column's NOCASE, so 'bob' meets
'Bob' and every post is copied (``tests/examples/clean_forum_micrate``, 20240920). Written
``ON p.author = u.username`` it compares under ``author``'s BINARY and drops bob's posts;
so does a BINARY lookup whose UNIQUE index alone folds case.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lint_pairs import second_file

HISTORY = """
CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT NOT NULL {column});
{index}
CREATE TABLE posts (id INTEGER PRIMARY KEY, author TEXT NOT NULL, body TEXT NOT NULL);
"""

UP = """INSERT OR IGNORE INTO users (username) SELECT author FROM posts;
CREATE TABLE posts_new (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    author TEXT NOT NULL,
    body TEXT NOT NULL
);
INSERT INTO posts_new (id, user_id, author, body)
SELECT p.id, u.id, p.author, p.body FROM posts AS p JOIN users AS u ON {on};
DROP TABLE posts;
ALTER TABLE posts_new RENAME TO posts;
"""

NOCASE = ("COLLATE NOCASE UNIQUE", "")
FOLDING_INDEX = ("", "CREATE UNIQUE INDEX users_username ON users (username COLLATE NOCASE);")


def _filters(tmp_path: Path, column: tuple[str, str], on: str) -> bool:
    history = HISTORY.format(column=column[0], index=column[1])
    found = second_file(tmp_path, history, UP.format(on=on), "sqlx")
    return any(f.kind == "rebuild-copy-filters" for f in found)


def test_a_join_comparing_under_the_lookups_nocase_keeps_every_row(tmp_path: Path) -> None:
    assert not _filters(tmp_path, NOCASE, "u.username = p.author")


def test_the_same_lookup_compared_under_binary_drops_rows(tmp_path: Path) -> None:
    assert _filters(tmp_path, NOCASE, "p.author = u.username")


def test_a_binary_column_whose_unique_index_folds_case_drops_rows(tmp_path: Path) -> None:
    assert _filters(tmp_path, FOLDING_INDEX, "u.username = p.author")


@pytest.mark.parametrize("on", ["u.username = p.author", "p.author = u.username"])
def test_a_lookup_compared_alike_keeps_every_row(tmp_path: Path, on: str) -> None:
    assert not _filters(tmp_path, ("UNIQUE", ""), on)
