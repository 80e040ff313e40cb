"""A file's own UPDATE is MH141 only where it computes a value from itself and cuts it.

Found on the corpus: komga resets hashes (``SET FILE_HASH = ''``), homebox and pingvin-share
reset flags (``SET superuser = 0``), pocket-id turns timestamps into Unix seconds
(``strftime('%s', created_at)``). Each says what the new value is; none cuts one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from migration_harness.checks.loss import self_derived
from migration_harness.sets.sql import split_statements
from tests.lint_pairs import data_kept

TABLE = (
    "CREATE TABLE users (id INTEGER PRIMARY KEY, phone TEXT NOT NULL, "
    "score REAL NOT NULL, seen DATETIME NOT NULL);"
)


def _losses(tmp_path: Path, update: str) -> list[str]:
    """The MH141 messages ``check`` gives the UPDATE file of a two-file set."""
    return [f.message for f in data_kept(tmp_path, TABLE, update, "sqlite") if f.code == "MH141"]


@pytest.mark.parametrize(
    "update",
    [
        "UPDATE users SET phone = '';",  # a reset: the file names the new value
        "UPDATE users SET score = 0, phone = 'unknown';",
        "UPDATE users SET seen = strftime('%s', seen);",  # the same instant, in seconds
        "UPDATE users SET phone = upper(trim(phone));",
    ],
)
def test_an_update_that_names_its_values_cuts_nothing(tmp_path: Path, update: str) -> None:
    assert _losses(tmp_path, update) == []


@pytest.mark.parametrize(
    ("update", "column"),
    [
        ("UPDATE users SET phone = substr(phone, 1, 2);", "phone"),
        ("UPDATE users SET phone = CAST(phone AS INTEGER);", "phone"),
        ("UPDATE users SET score = CAST(score AS INTEGER);", "score"),
        ("UPDATE users AS u SET score = round(u.score);", "score"),
    ],
)
def test_an_update_that_cuts_its_own_values_is_a_loss(
    tmp_path: Path, update: str, column: str
) -> None:
    (message,) = _losses(tmp_path, update)
    assert f"its own UPDATE rewrites: {column} " in message


def test_only_the_updated_rows_own_column_counts() -> None:
    """A column of the same name read in a subquery is another table's value."""
    sql = (
        "UPDATE media SET hash = '' WHERE id IN (SELECT id FROM pages WHERE hash <> '');"
        "UPDATE media SET size = (SELECT max(size) FROM pages);"
        "UPDATE media SET name = substr(name, 2) WHERE size > 0;"
    )
    assert self_derived(split_statements(sql)) == {("media", "name")}
