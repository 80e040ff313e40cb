"""MH216 (or-ignore-copy) and a lookup filled with a computed, never-NULL value.

``INSERT OR IGNORE INTO crops (name) SELECT DISTINCT trim(crop) FROM plantings`` into a
NOCASE UNIQUE ``name``: ``crop`` is NOT NULL, so ``trim(crop)`` never is, and OR IGNORE
skips only a name the lookup holds already (``tests/examples/clean_garden_sql_migrate``,
6). Over a nullable ``crop``, or through ``NULLIF``, a NULL is skipped without a word.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lint_pairs import second_file

HISTORY = """
CREATE TABLE plantings (id INTEGER PRIMARY KEY, crop TEXT {null}, planted_on TEXT NOT NULL);
"""

UP = """CREATE TABLE crops (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL COLLATE NOCASE UNIQUE
) STRICT;
INSERT OR IGNORE INTO crops (name) SELECT DISTINCT {value} FROM plantings;
"""


def _ignored(tmp_path: Path, null: str, value: str) -> bool:
    found = second_file(tmp_path, HISTORY.format(null=null), UP.format(value=value), "sql-migrate")
    return any(f.kind == "or-ignore-copy" for f in found)


@pytest.mark.parametrize("value", ["trim(crop)", "lower(trim(crop))", "'crop: ' || crop"])
def test_a_never_null_value_from_a_not_null_column_is_quiet(tmp_path: Path, value: str) -> None:
    assert not _ignored(tmp_path, "NOT NULL", value)


def test_the_same_value_from_a_nullable_column_warns(tmp_path: Path) -> None:
    assert _ignored(tmp_path, "", "trim(crop)")


def test_a_value_that_can_be_null_warns(tmp_path: Path) -> None:
    assert _ignored(tmp_path, "NOT NULL", "nullif(trim(crop), '')")
