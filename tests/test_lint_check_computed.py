"""MH213 (rebuild-narrows-check) on a CHECK column the copy computes from another one.

A rebuild that adds ``position INTEGER NOT NULL CHECK (position >= 0)`` and fills it with
how many rows come before (a ``COUNT(*)`` subquery), or restores a text time with
``datetime(joined_at, 'unixepoch')`` under ``CHECK (joined IS strftime(…, joined))``,
cannot fail: a count is never negative, and ``datetime`` writes the canonical form. The
copy is judged on probes of the one column it reads (a count stands for the subquery).
A value that can still break the CHECK keeps the warning.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lint_pairs import lines_of, second_file

LINKS = (
    "CREATE TABLE links (task_id INTEGER NOT NULL, tag_id INTEGER NOT NULL,"
    " joined_at INTEGER, PRIMARY KEY (task_id, tag_id));\n"
)


def _rebuild(column: str, value: str) -> str:
    name = column.split()[0]
    return (
        f"CREATE TABLE links_new (task_id INTEGER NOT NULL, tag_id INTEGER NOT NULL, {column},"
        " PRIMARY KEY (task_id, tag_id));\n"
        f"INSERT INTO links_new (task_id, tag_id, {name})"
        f" SELECT task_id, tag_id, {value} FROM links AS s;\n"
        "DROP TABLE links;\n"
        "ALTER TABLE links_new RENAME TO links;\n"
    )


POSITION = "position INTEGER NOT NULL DEFAULT 0 CHECK (position >= 0)"
COUNT = "(SELECT COUNT(*) FROM links AS e WHERE e.task_id = s.task_id AND e.tag_id < s.tag_id)"
JOINED = "joined TEXT NOT NULL CHECK (joined IS strftime('%Y-%m-%d %H:%M:%S', joined))"


def _warned(tmp_path: Path, column: str, value: str) -> list[int | None]:
    return lines_of(second_file(tmp_path, LINKS, _rebuild(column, value), "sqlite"), "MH213")


@pytest.mark.parametrize(
    ("column", "value"),
    [
        (POSITION, COUNT),
        (POSITION, f"{COUNT} + 1"),
        (POSITION, "abs(coalesce(joined_at, 0))"),
        (JOINED, "COALESCE(datetime(joined_at, 'unixepoch'), '1970-01-01 00:00:00')"),
    ],
)
def test_a_value_computed_to_meet_the_check_is_quiet(
    tmp_path: Path, column: str, value: str
) -> None:
    assert _warned(tmp_path, column, value) == []


@pytest.mark.parametrize(
    ("column", "value"),
    [
        (POSITION, f"{COUNT} - 1"),  # the first row gets -1
        (POSITION, "joined_at"),  # any number, negative ones too
        # a joined_at that is no time gives NULL, and the fallback 'soon' breaks the CHECK
        (JOINED, "COALESCE(datetime(joined_at, 'unixepoch'), 'soon')"),
    ],
)
def test_a_value_that_can_break_the_check_still_warns(
    tmp_path: Path, column: str, value: str
) -> None:
    assert _warned(tmp_path, column, value) == [2]
