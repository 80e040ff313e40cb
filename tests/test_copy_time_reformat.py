"""A rebuild's copy turning time text into the instant's number rewrites, it does not destroy.

``INSERT INTO events_new … SELECT id, unixepoch(happened_at) FROM events`` keeps each
instant in another form (seconds, milliseconds, Julian day): a declared rewrite (MH142),
as the UPDATE form already was (tests/test_update_cuts.py). A number that is another
instant, or text read as a number, still loses what the row held (MH141).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from migration_harness.checks.intent import destroys
from migration_harness.data.rows import Change
from tests.lint_pairs import data_kept

EVENTS = (
    "CREATE TABLE events (id INTEGER PRIMARY KEY NOT NULL,"
    " happened_at TEXT NOT NULL CHECK (happened_at = datetime(happened_at)));\n"
)
REBUILD = (
    "CREATE TABLE events_new (id INTEGER PRIMARY KEY NOT NULL, happened_at INTEGER NOT NULL);\n"
    "INSERT INTO events_new (id, happened_at) SELECT id, {value} FROM events;\n"
    "DROP TABLE events;\n"
    "ALTER TABLE events_new RENAME TO events;\n"
)


def _codes(tmp_path: Path, value: str) -> set[str]:
    up = REBUILD.format(value=value)
    return {f.code for f in data_kept(tmp_path, EVENTS, up, "diesel") if f.kind == "data_loss"}


@pytest.mark.parametrize(
    "value",
    ["unixepoch(happened_at)", "CAST(strftime('%s', happened_at) AS INTEGER) * 1000"],
)
def test_a_copy_into_the_instants_number_is_a_declared_rewrite(tmp_path: Path, value: str) -> None:
    assert _codes(tmp_path, value) == {"MH142"}


@pytest.mark.parametrize("value", ["unixepoch(happened_at) + 3600", "CAST(happened_at AS INTEGER)"])
def test_a_copy_into_another_number_still_loses_the_time(tmp_path: Path, value: str) -> None:
    assert "MH141" in _codes(tmp_path, value)


@pytest.mark.parametrize(
    ("old", "new", "lost"),
    [
        ("2020-01-01 00:00:00", 1577836800, False),
        ("2020-01-01 00:00:00", 1577836800000, False),
        ("2020-01-01 00:00:00", 2458849.5, False),
        ("2020-01-01 00:00:00", 2020, True),
        ("+1 415 555 0101", 1, True),
        ("00501", 501, True),  # a bare number, not a Julian day's text
    ],
)
def test_destroys_reads_a_time_turned_into_its_number(old: str, new: float, lost: bool) -> None:
    assert destroys(Change("events", "happened_at", old, new)) is lost
