"""A data migration whose scalar subquery finds no row writes NULL over what the row held.

``UPDATE users SET country_code = (SELECT code FROM countries WHERE name = users.country)``
is the file's purpose, so ``compare`` leaves the updated table alone; but every user whose
country has no match loses the code it had. That is MH141 (checks/nulled.py). The twins
stay quiet: the same UPDATE guarded by ``WHERE EXISTS``, one keeping the old value with
``COALESCE``, and one filling a column the file itself adds.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from migration_harness.checks.nulled import subquery_columns
from migration_harness.checks.run import check_set
from migration_harness.sets.discovery import discover
from migration_harness.sets.sql import split_statements
from migration_harness.sets.targets import TARGETS

MigrationSetFactory = Callable[..., Path]

SCHEMA = """CREATE TABLE countries (id INTEGER PRIMARY KEY, name TEXT NOT NULL, code TEXT NOT NULL);
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    country TEXT,
    country_code TEXT
);
"""
LOOKUP = "(SELECT code FROM countries WHERE countries.name = users.country)"
BARE = f"UPDATE users SET country_code = {LOOKUP};"
GUARDED = (
    f"UPDATE users SET country_code = {LOOKUP}\n"
    "WHERE EXISTS (SELECT 1 FROM countries WHERE countries.name = users.country);"
)
KEPT = f"UPDATE users SET country_code = COALESCE({LOOKUP}, country_code);"
ADDED = (
    "ALTER TABLE users ADD COLUMN region_code TEXT;\n"
    "UPDATE users SET region_code = (SELECT code FROM countries "
    "WHERE countries.name = users.country);"
)


def _losses(migration_set: MigrationSetFactory, up: str) -> list[str]:
    root = migration_set({1: (SCHEMA, None), 2: (up, None)}, layout="wrangler")
    run = check_set(discover(root), TARGETS["sqlite"], profile="ci", checks=["apply_keeps_data"])
    return [f"{f.code} {f.message}" for f in run.findings if f.kind == "data_loss"]


def test_an_update_whose_subquery_finds_no_row_nulls_what_rows_held(
    migration_set: MigrationSetFactory,
) -> None:
    losses = _losses(migration_set, BARE)
    assert len(losses) == 1
    assert losses[0].startswith("MH141 applying it sets")
    assert "of users to NULL" in losses[0]
    assert "country_code" in losses[0]


@pytest.mark.parametrize("up", [GUARDED, KEPT, ADDED], ids=["where-exists", "coalesce", "added"])
def test_an_update_that_keeps_unmatched_rows_loses_nothing(
    migration_set: MigrationSetFactory, up: str
) -> None:
    assert _losses(migration_set, up) == []


def test_only_a_bare_scalar_subquery_is_read() -> None:
    statements = split_statements(f"{BARE}\n{KEPT}\nUPDATE users SET country_code = NULL;")
    assert subquery_columns(statements) == {("users", "country_code")}
