"""Codes printed from the rowid: ``'D' || printf('%03d', id)`` before a UNIQUE and a NOT NULL.

A department code backfilled as ``'D' || printf('%03d', id)`` is distinct per row (SQLite's
``%d`` prints the whole integer, a width only pads) and never NULL (printf of a literal
format is NULL for no argument: ``printf('%03d', NULL)`` is ``'000'``), so the UNIQUE index
after it (MH212) and the rebuild making it NOT NULL (MH214) cannot fail
(``tests/examples/clean_staff_atlas``). A printed value that can repeat (another column,
a conversion that rounds or cuts) or be NULL still warns. The backfill fills only the
NULLs (``WHERE code IS NULL``), the form no probe of repeated values proves (a backfill
of every row is proved by :func:`~migration_harness.lint.dedupe.deduplicated`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lint_pairs import second_file

HISTORY = "CREATE TABLE departments (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n"

BACKFILL = (
    "ALTER TABLE departments ADD COLUMN code TEXT;\n"
    "UPDATE departments SET code = {value} WHERE code IS NULL;\n"
    "CREATE UNIQUE INDEX departments_code ON departments(code);\n"
)

REQUIRED = "CREATE TABLE departments (id INTEGER PRIMARY KEY, name TEXT NOT NULL, code TEXT);\n"

REBUILD = (
    "UPDATE departments SET code = {value} WHERE code IS NULL;\n"
    "CREATE TABLE departments_new"
    " (id INTEGER PRIMARY KEY, code TEXT NOT NULL, name TEXT NOT NULL);\n"
    "INSERT INTO departments_new (id, code, name) SELECT id, code, name FROM departments;\n"
    "DROP TABLE departments;\n"
    "ALTER TABLE departments_new RENAME TO departments;\n"
)


def _codes(tmp_path: Path, history: str, up: str) -> set[str]:
    return {f.code for f in second_file(tmp_path, history, up, "atlas")}


@pytest.mark.parametrize(
    "value",
    [
        "'D' || printf('%03d', id)",
        "printf('D-%05d', id)",
        "format('%d', id) || '-dept'",
        "'D' || printf('%-6d%%', id)",
    ],
)
def test_the_rowid_printed_through_one_integer_conversion_is_unique(
    tmp_path: Path, value: str
) -> None:
    assert "MH212" not in _codes(tmp_path, HISTORY, BACKFILL.format(value=value))


@pytest.mark.parametrize(
    "value",
    [
        "'D' || printf('%03d', name)",
        "printf('%c', id)",
        "printf('%d', id / 10)",
        "printf('%3.2s', id)",
        "substr(printf('%03d', id), 1, 2)",
    ],
)
def test_a_printed_value_that_can_repeat_still_warns(tmp_path: Path, value: str) -> None:
    assert "MH212" in _codes(tmp_path, HISTORY, BACKFILL.format(value=value))


@pytest.mark.parametrize("value", ["'D' || printf('%03d', id)", "format('D%s', name)"])
def test_a_printf_backfill_leaves_no_null(tmp_path: Path, value: str) -> None:
    assert "MH214" not in _codes(tmp_path, REQUIRED, REBUILD.format(value=value))


@pytest.mark.parametrize(
    "value", ["nullif(printf('D%03d', id), 'D001')", "printf(name, id)", "'D' || nullif(name, '')"]
)
def test_a_backfill_that_can_be_null_still_warns(tmp_path: Path, value: str) -> None:
    assert "MH214" in _codes(tmp_path, REQUIRED, REBUILD.format(value=value))
