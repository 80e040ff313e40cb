"""A time column divided by 1000 changes its unit; a money column divided by 100 is cut.

takemetothefair 0045 ("fix timestamp columns back to seconds") runs ``UPDATE … SET
last_seen_at = last_seen_at / 1000`` over values written in milliseconds: dropping the
sub-second part is the file's purpose, as ``strftime('%s', …)`` over a time is. The same
integer division of ``price_cents`` (1999 -> 19) destroys the cents and stays MH141.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from migration_harness.checks.intent import destroys
from migration_harness.checks.run import check_set
from migration_harness.data.rows import Change
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import TARGETS

MigrationSetFactory = Callable[..., Path]

VISITS = (
    "CREATE TABLE visits (id INTEGER PRIMARY KEY, last_seen_at INTEGER, price_cents INTEGER);\n"
)


def _cuts(root: Path) -> list[str]:
    run = check_set(discover(root), TARGETS["d1"], profile="ci", checks=["apply_keeps_data"])
    return [f.message for f in run.findings if f.kind == "data_loss"]


@pytest.mark.parametrize(("column", "cut"), [("last_seen_at", False), ("price_cents", True)])
def test_an_integer_division_cuts_money_but_not_a_time(
    migration_set: MigrationSetFactory, column: str, cut: bool
) -> None:
    up = f"UPDATE visits SET {column} = {column} / 1000;\n"
    root = migration_set({1: (VISITS, None), 2: (up, None)}, layout="wrangler")
    found = [m for m in _cuts(root) if "its own UPDATE rewrites" in m]
    assert bool(found) is cut, found


def test_destroys_reads_the_column_name() -> None:
    millis = 1_700_000_000_123
    assert not destroys(Change("visits", "last_seen_at", millis, millis // 1000))
    assert destroys(Change("visits", "price_cents", 1999, 1))
