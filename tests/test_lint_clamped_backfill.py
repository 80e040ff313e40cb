"""MH214 (rebuild-adds-not-null) after a backfill, when the copy reshapes the column.

``UPDATE tickets SET priority = 3 WHERE priority IS NULL`` leaves no NULL, and a copy
that clamps the value into the new CHECK's range, ``min(max(priority, 1), 5)`` (SQLite's
scalar min/max are NULL only when an argument is), writes none either
(``tests/examples/clean_helpdesk_refinery``, V2). Without the backfill the same copy
fails on the NULL rows, and a copy that can make a NULL of a filled value
(``NULLIF``, ``/``) still warns.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lint_pairs import second_file

HISTORY = "CREATE TABLE tickets (id INTEGER PRIMARY KEY, subject TEXT, priority INTEGER);\n"

BACKFILL = "UPDATE tickets SET priority = 3 WHERE priority IS NULL;\n"

REBUILD = (
    "CREATE TABLE tickets_new (id INTEGER PRIMARY KEY, subject TEXT,"
    " priority INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 5));\n"
    "INSERT INTO tickets_new (id, subject, priority) SELECT id, subject, {value} FROM tickets;\n"
    "DROP TABLE tickets;\n"
    "ALTER TABLE tickets_new RENAME TO tickets;\n"
)


def _warned(tmp_path: Path, up: str) -> bool:
    found = second_file(tmp_path, HISTORY, up, "refinery")
    return any(f.kind == "rebuild-adds-not-null" for f in found)


@pytest.mark.parametrize(
    "value",
    ["priority", "min(max(priority, 1), 5)", "max(priority, 1)", "abs(priority) + 0"],
)
def test_a_backfilled_column_clamped_in_the_copy_is_quiet(tmp_path: Path, value: str) -> None:
    assert not _warned(tmp_path, BACKFILL + REBUILD.format(value=value))


@pytest.mark.parametrize("value", ["priority", "min(max(priority, 1), 5)"])
def test_the_same_copy_without_the_backfill_warns(tmp_path: Path, value: str) -> None:
    assert _warned(tmp_path, REBUILD.format(value=value))


@pytest.mark.parametrize(
    "value", ["NULLIF(priority, 3)", "priority / 2", "min(max(priority, 1), subject)"]
)
def test_a_copy_that_can_make_a_null_again_warns(tmp_path: Path, value: str) -> None:
    assert _warned(tmp_path, BACKFILL + REBUILD.format(value=value))
