"""The tracking table's shape and existence, read together (issue 17).

``Tracking.rows``/``keys``/``create`` asked ``has_table`` and ``check_shape`` apart: two
scans of ``sqlite_master`` per read of the keys, on every checked step. One read answers
both now; these hold each answer as it was: the first object of the name (any case) is
the one checked, existence wants a table of exactly that name.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from migration_harness.errors import DatabaseError
from migration_harness.sets.targets import TARGETS

TRACKING = TARGETS["sqlite"].tracking  # wrangler's d1_migrations


@pytest.fixture
def conn() -> Iterator[sqlite3.Connection]:
    db = sqlite3.connect(":memory:", isolation_level=None)
    db.execute("CREATE TABLE a(x)")
    yield db
    db.close()


def test_no_table_reads_as_nothing_applied(conn: sqlite3.Connection) -> None:
    assert TRACKING.rows(conn) == []
    assert TRACKING.keys(conn) == frozenset()


@pytest.mark.parametrize(
    ("sql", "problem"),
    [
        ("CREATE VIEW d1_migrations AS SELECT 1 AS name", "it is a view"),
        ("CREATE INDEX D1_Migrations ON a(x)", "it is a index"),
        ("CREATE TABLE d1_migrations(x)", "no column applied_at, id, name"),
    ],
)
def test_an_object_of_the_name_that_is_not_the_tools_table_is_refused(
    conn: sqlite3.Connection, sql: str, problem: str
) -> None:
    conn.execute(sql)
    for read in (TRACKING.rows, TRACKING.keys, TRACKING.create):
        with pytest.raises(DatabaseError, match=problem):
            read(conn)


def test_a_table_of_the_name_in_another_case_is_checked_but_holds_nothing(
    conn: sqlite3.Connection,
) -> None:
    """SQLite resolves ``D1_MIGRATIONS`` to it; ``has_table`` never did (exact name)."""
    conn.execute(TRACKING.ddl[0].replace("d1_migrations", "D1_MIGRATIONS"))
    conn.execute("INSERT INTO D1_MIGRATIONS(name) VALUES ('0001_a.sql')")
    assert TRACKING.rows(conn) == []
    assert TRACKING.keys(conn) == frozenset()


def test_the_keys_are_read_with_one_scan_of_sqlite_master(conn: sqlite3.Connection) -> None:
    TRACKING.create(conn)
    conn.execute("INSERT INTO d1_migrations(name) VALUES ('0001_a.sql')")
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    assert TRACKING.keys(conn) == frozenset({"0001_a.sql"})
    assert [r.key for r in TRACKING.rows(conn)] == ["0001_a.sql"]
    assert sum("sqlite_master" in s for s in statements) == 2  # one per read, was two
