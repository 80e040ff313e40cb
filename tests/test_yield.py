"""Generated datasets for db/ insert at every version: the yield the checks depend on.

A check is only as good as its data: rows a constraint refuses are rows no property sees.
For every version of the Umbrella set, datasets drawn for the whole schema (seed rows of
the migrations included) are inserted into a restored copy of that version with foreign
keys on; across all examples at least 99% of rows must go in, and no inserted row may
break a foreign key.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from migration_harness.checks.engine import Engine
from migration_harness.data.strategies import Dataset, datasets_for, insert
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import TARGETS

DB = Path(__file__).resolve().parent.parent / "db"
MIN_YIELD = 0.99
EXAMPLES = settings(
    max_examples=25,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
ENGINE = Engine(discover(DB), TARGETS["sqlite"])
VERSIONS = range(len(ENGINE.versions))


def test_every_version_of_the_set_was_built() -> None:
    assert (ENGINE.apply_failure, len(ENGINE.versions)) == (None, 13)
    assert ENGINE.versions[0].schema.tables == {}


@pytest.mark.parametrize("k", VERSIONS[1:])
def test_generated_rows_insert_with_99_percent_yield(k: int) -> None:
    version = ENGINE.versions[k]
    counts: Counter[str] = Counter()
    failures: list[str] = []
    filled: set[str] = set()

    @EXAMPLES
    @given(datasets_for(version.schema, existing=version.rows, max_rows=3))
    def insert_dataset(dataset: Dataset) -> None:
        conn = ENGINE.restore(k)
        try:
            assert conn.execute("PRAGMA foreign_keys").fetchone() == (1,)
            result = insert(conn, dataset)
            counts["inserted"] += result.inserted
            counts["failed"] += len(result.failed)
            failures.extend(f"{row.table}: {reason}" for row, reason in result.failed)
            filled.update(row.table for row in dataset.rows)
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        finally:
            conn.close()

    insert_dataset()
    attempted = counts["inserted"] + counts["failed"]
    assert counts["inserted"] / attempted >= MIN_YIELD, Counter(failures).most_common(5)
    assert filled == {n for n, t in version.schema.tables.items() if not t.virtual}
