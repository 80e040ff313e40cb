"""Generation depends on the seed and the schema, never on which modules are imported."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import Phase, given, seed, settings

from migration_harness.data.provider import source_blind
from migration_harness.data.strategies import Dataset, datasets_for
from migration_harness.schema.model import introspect

SCHEMA = """
CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, code TEXT, n INTEGER);
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id),
                     note TEXT, amount REAL);
"""


def _draws(blind: bool) -> list[Dataset]:
    """Every dataset a seeded run draws on SCHEMA, in order."""
    conn = sqlite3.connect(":memory:")
    conn.executescript(SCHEMA)
    strategy = datasets_for(introspect(conn))
    seen: list[Dataset] = []

    @seed(7)
    @settings(max_examples=100, database=None, phases=[Phase.generate])
    @given(strategy)
    def collect(dataset: Dataset) -> None:
        seen.append(dataset)

    if blind:
        with source_blind():
            collect()
    else:
        collect()
    return seen


@pytest.mark.parametrize("blind", [True, False], ids=["harness", "stock"])
def test_imported_constants_change_only_the_stock_provider(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, blind: bool
) -> None:
    # The "stock" case shows the hazard is real (Hypothesis scrapes literals from local
    # modules), so the "harness" case would fail without source_blind.
    before = _draws(blind)
    # Literals of their own per test: constants already seen change nothing.
    base = 1000 if blind else 5000
    literals = ", ".join(f"'{chr(97 + i % 26)}{base + i}', {base + i}, {i}.5" for i in range(30))
    # A fresh name per test: Hypothesis notices new modules by the length of sys.modules.
    name = f"constants_galore_{'harness' if blind else 'stock'}"
    (tmp_path / f"{name}.py").write_text(f"VALUES = ({literals})\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    __import__(name)
    after = _draws(blind)
    assert (before == after) is blind
