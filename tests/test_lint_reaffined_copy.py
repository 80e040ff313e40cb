"""cast-narrowing (MH217) on a rebuild reads what the copy writes into the re-typed column.

A TEXT column rebuilt as INTEGER turns stored text such as ``'007'`` into 7 only where the
copy writes the stored value (``SELECT code``). A copy that computes the value
(``unixepoch(happened_at)``) chose the number itself: quiet.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lint_pairs import lines_of, second_file

EVENTS = "CREATE TABLE events (id INTEGER PRIMARY KEY, happened_at TEXT NOT NULL);\n"
REBUILD = (
    "CREATE TABLE events_new (id INTEGER PRIMARY KEY, happened_at INTEGER NOT NULL);\n"
    "INSERT INTO events_new {columns}SELECT {select} FROM events;\n"
    "DROP TABLE events;\n"
    "ALTER TABLE events_new RENAME TO events;\n"
)


def _narrowing(tmp_path: Path, columns: str, select: str) -> list[int | None]:
    up = REBUILD.format(columns=columns, select=select)
    return lines_of(second_file(tmp_path, EVENTS, up, "diesel"), "MH217")


@pytest.mark.parametrize(
    "select", ["id, unixepoch(happened_at)", "id, strftime('%s', happened_at) * 1000"]
)
def test_a_copy_computing_the_number_is_quiet(tmp_path: Path, select: str) -> None:
    assert _narrowing(tmp_path, "(id, happened_at) ", select) == []


@pytest.mark.parametrize(
    ("columns", "select"),
    [("(id, happened_at) ", "id, happened_at"), ("", "*"), ("", "id, happened_at")],
)
def test_a_copy_of_the_stored_text_still_warns(tmp_path: Path, columns: str, select: str) -> None:
    assert _narrowing(tmp_path, columns, select) == [2]
