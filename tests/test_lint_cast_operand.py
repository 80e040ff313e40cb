"""cast-narrowing (MH217) on a CAST of a computed value: SQLite evaluates the operand.

``CAST(strftime('%w', d) AS INTEGER)`` casts a weekday digit (or NULL): it changes nothing.
A CAST of a column's text, or of text cut out of it, can zero or truncate a value.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lint_pairs import lines_of, second_file

DAYS = "CREATE TABLE days (d TEXT PRIMARY KEY, label TEXT NOT NULL);\n"
COPY = (
    "CREATE TABLE calendar (day TEXT PRIMARY KEY, n {type} NOT NULL);\n"
    "INSERT INTO calendar (day, n) SELECT d, CAST({operand} AS {type}) FROM days;\n"
)


def _casts(tmp_path: Path, operand: str, kind: str = "INTEGER") -> list[int | None]:
    up = COPY.format(operand=operand, type=kind)
    return lines_of(second_file(tmp_path, DAYS, up, "d1"), "MH217")


@pytest.mark.parametrize(
    ("operand", "kind"),
    [
        ("strftime('%w', d)", "INTEGER"),
        ("strftime('%Y', d)", "INTEGER"),
        ("length(label)", "INTEGER"),
        ("julianday(d)", "REAL"),
    ],
)
def test_a_cast_of_a_value_that_is_already_a_number_is_quiet(
    tmp_path: Path, operand: str, kind: str
) -> None:
    assert _casts(tmp_path, operand, kind) == []


@pytest.mark.parametrize(
    ("operand", "kind"),
    [
        ("label", "INTEGER"),
        ("substr(label, 2)", "INTEGER"),
        ("trim(label)", "REAL"),
        ("julianday(d)", "INTEGER"),  # the fraction of the day is cut
    ],
)
def test_a_cast_that_can_change_a_value_still_warns(
    tmp_path: Path, operand: str, kind: str
) -> None:
    assert _casts(tmp_path, operand, kind) == [2]
