"""MH212 (unique-on-existing-table) on ``lower(col)``/``upper(col)`` keys.

``lower()`` and ``upper()`` fold ASCII letters only, as NOCASE does: on a TEXT column
already ``UNIQUE COLLATE NOCASE`` no two rows share a ``lower(email)``, so a new
``UNIQUE INDEX … (lower(email))`` meets no duplicates. Under the BINARY collation 'A@x'
and 'a@x' coexist and the index fails on them; on a NUMERIC column ``lower(1)`` equals
``lower('1')``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lint_pairs import second_file

USERS = "CREATE TABLE users (id INTEGER PRIMARY KEY, email {type} NOT NULL UNIQUE{collate});\n"


def _kinds(tmp_path: Path, history: str, up: str) -> set[str]:
    return {f.kind for f in second_file(tmp_path, history, up, "sqlite")}


@pytest.mark.parametrize(
    "term", ["lower(email)", 'upper("email") DESC', "lower(email) COLLATE NOCASE, id"]
)
def test_a_folded_key_over_a_nocase_key_meets_no_duplicates(tmp_path: Path, term: str) -> None:
    history = USERS.format(type="TEXT", collate=" COLLATE NOCASE")
    up = f"CREATE UNIQUE INDEX users_email_folded ON users({term});\n"
    assert "unique-on-existing-table" not in _kinds(tmp_path, history, up)


@pytest.mark.parametrize(("type_", "collate"), [("TEXT", ""), ("NUMERIC", " COLLATE NOCASE")])
def test_a_folded_key_over_a_finer_key_still_warns(
    tmp_path: Path, type_: str, collate: str
) -> None:
    history = USERS.format(type=type_, collate=collate)
    up = "CREATE UNIQUE INDEX users_email_folded ON users(lower(email));\n"
    assert "unique-on-existing-table" in _kinds(tmp_path, history, up)


def test_a_folded_key_implies_the_binary_key_in_a_rebuild(tmp_path: Path) -> None:
    """An old ``UNIQUE (lower(email))`` is an old key: a rebuild's BINARY UNIQUE holds."""
    history = (
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n"
        "CREATE UNIQUE INDEX users_email_lower ON users(lower(email));\n"
    )
    up = (
        "CREATE TABLE users_new (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE);\n"
        "INSERT INTO users_new (id, email) SELECT id, email FROM users;\n"
        "DROP TABLE users;\n"
        "ALTER TABLE users_new RENAME TO users;\n"
    )
    assert "unique-on-existing-table" not in _kinds(tmp_path, history, up)
