"""Declared date/time columns hold times, and ``REFERENCES parent`` means its primary key.

Both were false alarms on pocket-id (golang-migrate): ``expires_at DATETIME NOT NULL`` drew
``-1``, which ``strftime('%s', expires_at)`` turns into NULL; and a rollback recreating a
table with ``REFERENCES users`` was reported as drifting from ``REFERENCES users(id)``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from migration_harness.checks.run import check_set
from migration_harness.data.strategies import values_for
from migration_harness.schema.diff import diff_schemas
from migration_harness.schema.model import introspect, schema_from_sql
from migration_harness.schema.unixtime import unix_columns_by_version
from migration_harness.sets.config import SetConfig
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import TARGETS

MigrationSetFactory = Callable[..., Path]
SETTINGS = settings(max_examples=200, derandomize=True, database=None, deadline=None)
TIMES = """
CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    expires_at DATETIME NOT NULL,
    issued TIMESTAMP,
    day DATE,
    at_time TIME,
    score NUMERIC
);
"""


@pytest.mark.parametrize("column", ["expires_at", "issued", "day", "at_time"])
@SETTINGS
@given(data=st.data())
def test_declared_time_column_draws_times_sqlite_reads(column: str, data: st.DataObject) -> None:
    table = schema_from_sql(TIMES).tables["tokens"]
    spec = next(c for c in table.columns if c.name == column)
    value = data.draw(values_for(spec, table))
    if value is None:
        assert not spec.notnull
        return
    assert isinstance(value, str)
    conn = sqlite3.connect(":memory:")
    assert conn.execute("SELECT time(?) IS NOT NULL", (value,)).fetchone()[0] == 1


def test_plain_numeric_column_still_draws_numbers() -> None:
    table = schema_from_sql(TIMES).tables["tokens"]
    spec = next(c for c in table.columns if c.name == "score")
    seen: list[object] = []

    @SETTINGS
    @given(values_for(spec, table))
    def draw(value: object) -> None:
        seen.append(value)

    draw()
    assert any(isinstance(v, int | float) and not isinstance(v, bool) for v in seen)


def _check(root: Path) -> list[str]:
    run = check_set(
        discover(root),
        TARGETS["sqlite"],
        profile="ci",
        config=SetConfig(ship_groups="off"),
    )
    return [f"{f.kind} {f.migration} {f.message}" for f in run.findings]


TO_SECONDS = "UPDATE tokens SET expires_at = strftime('%s', expires_at);"


def _tokens(migration_set: MigrationSetFactory, back: str) -> Path:
    """tokens.expires_at turned into unix seconds by step 2, and back by ``back``."""
    return migration_set(
        {
            1: (
                "CREATE TABLE tokens (id TEXT PRIMARY KEY, expires_at DATETIME NOT NULL);",
                "DROP TABLE tokens;",
            ),
            2: (TO_SECONDS, f"UPDATE tokens SET expires_at = {back};"),
        }
    )


def test_conversion_of_a_datetime_column_to_unix_seconds_and_back_is_quiet(
    migration_set: MigrationSetFactory,
) -> None:
    # Forward: the column holds ISO text, which strftime reads. Rolled back from version
    # 2: it holds the seconds the set's own SQL turned it into, which 'unixepoch' reads.
    root = _tokens(migration_set, "datetime(expires_at, 'unixepoch')")
    found = _check(root)
    assert not [f for f in found if f.startswith(("apply_error", "rollback_error"))], found


def test_a_rollback_that_reads_the_seconds_as_julian_days_still_fails(
    migration_set: MigrationSetFactory,
) -> None:
    # Twin: without 'unixepoch' SQLite reads 1.7e9 as a Julian day, out of range: NULL.
    root = _tokens(migration_set, "datetime(expires_at)")
    assert [f for f in _check(root) if f.startswith("rollback_error")]


def test_the_same_conversion_of_an_untyped_column_still_fails(
    migration_set: MigrationSetFactory,
) -> None:
    # Twin: nothing says this column holds times, so numbers there are fair game.
    root = migration_set(
        {
            1: (
                "CREATE TABLE tokens (id TEXT PRIMARY KEY, expires_at NUMERIC NOT NULL);",
                "DROP TABLE tokens;",
            ),
            2: ("UPDATE tokens SET expires_at = strftime('%s', expires_at);", None),
        }
    )
    assert [f for f in _check(root) if f.startswith("apply_error")]


USERS = "CREATE TABLE users (id TEXT NOT NULL PRIMARY KEY, email TEXT UNIQUE);"


@pytest.mark.parametrize(("parent", "drifts"), [("users", False), ("users(email)", True)])
def test_implicit_parent_key_is_the_primary_key(parent: str, drifts: bool) -> None:
    explicit = schema_from_sql(
        USERS + "CREATE TABLE t (u TEXT REFERENCES users(id) ON DELETE CASCADE);"
    )
    other = schema_from_sql(
        USERS + f"CREATE TABLE t (u TEXT REFERENCES {parent} ON DELETE CASCADE);"
    )
    assert bool(diff_schemas(explicit, other)) is drifts


def test_implicit_parent_key_read_before_the_parent_exists_follows_the_parent() -> None:
    # A rebuild half-way, or a replay, reads the child while its parent is absent; the
    # child's record is cached by its SQL, so it must not keep what the parent was then.
    conn = sqlite3.connect(":memory:")
    child = "CREATE TABLE tokens_implicit (u TEXT REFERENCES accounts ON DELETE CASCADE)"
    conn.execute(child)
    assert introspect(conn).tables["tokens_implicit"].foreign_keys[0].other_columns == ()
    conn.execute("CREATE TABLE accounts (id TEXT NOT NULL PRIMARY KEY, email TEXT)")
    got = introspect(conn)
    explicit = schema_from_sql(
        "CREATE TABLE accounts (id TEXT NOT NULL PRIMARY KEY, email TEXT);"
        "CREATE TABLE tokens_implicit (u TEXT REFERENCES accounts(id) ON DELETE CASCADE);"
    )
    assert got.tables["tokens_implicit"].foreign_keys[0].other_columns == ("id",)
    assert not diff_schemas(explicit, got)


def test_unix_seconds_hint_follows_the_sets_own_conversions() -> None:
    files = [
        "CREATE TABLE t (a DATETIME, b DATETIME, c DATETIME);",
        "UPDATE t SET a = strftime('%s', a), b = CAST(strftime('%s', b) AS INTEGER),"
        " c = strftime('%s', a);",  # c from another column: says nothing about c
        "UPDATE t SET a = datetime(a, 'unixepoch');",
    ]
    assert unix_columns_by_version(files) == (
        frozenset(),
        frozenset(),
        frozenset({("t", "a"), ("t", "b")}),
        frozenset({("t", "b")}),
    )
