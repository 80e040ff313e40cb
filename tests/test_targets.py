"""sets.targets: how each production runner would execute a file, decided up front."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from migration_harness.errors import HarnessError
from migration_harness.sets.d1rules import D1_TRANSACTION_MESSAGE
from migration_harness.sets.targets import TARGETS, MigrationRefusedError, get_target

SQLITE = TARGETS["sqlite"]
D1 = TARGETS["d1"]


@pytest.fixture
def d1_conn() -> Iterator[sqlite3.Connection]:
    """An in-memory database running under D1's authorizer."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("CREATE TABLE t(x)")
    conn.set_authorizer(D1.authorizer())
    yield conn
    conn.close()


def test_targets_are_sqlite_d1_and_each_runner() -> None:
    assert sorted(TARGETS) == [
        "atlas",
        "atlas-all",
        "bun",
        "d1",
        "dbmate",
        "diesel",
        "drizzle",
        "drizzle-v1",
        "flyway",
        "golang-migrate",
        "goose",
        "goose-v1",
        "liquibase",
        "micrate",
        "node-sqlite",
        "platformatic",
        "postgrator",
        "postgrator-query",
        "postgrator-split",
        "prisma",
        "refinery",
        "refinery-grouped",
        "rusqlite_migration",
        "sqitch",
        "sql-migrate",
        "sqldelight",
        "sqlite",
        "sqlx",
        "yoyo",
    ]


def test_get_target_returns_the_named_target() -> None:
    assert get_target("d1") is D1


def test_get_target_suggests_the_closest_name_on_a_typo() -> None:
    with pytest.raises(HarnessError) as excinfo:
        get_target("sqlit")
    assert str(excinfo.value) == "--target sqlit: unknown target (did you mean 'sqlite'?)"


def test_get_target_lists_choices_when_nothing_is_close() -> None:
    with pytest.raises(HarnessError, match=r"choose one of sqlite, d1, golang-migrate"):
        get_target("oracle")


def test_sqlite_wraps_a_plain_file() -> None:
    plan = SQLITE.plan("CREATE TABLE a(x);\nINSERT INTO a VALUES (1);\n", "f.sql")
    assert plan.wrapped
    assert [s.sql for s in plan.statements] == ["CREATE TABLE a(x);", "INSERT INTO a VALUES (1);"]


@pytest.mark.parametrize(
    "sql",
    [
        "BEGIN;\nCREATE TABLE a(x);\nCOMMIT;\n",
        "PRAGMA foreign_keys=OFF;\nCREATE TABLE a(x);\n",
        "PRAGMA legacy_alter_table=ON;\nALTER TABLE a RENAME TO b;\n",
        "VACUUM;\n",
    ],
    ids=["begin", "foreign-keys", "legacy-alter-table", "vacuum"],
)
def test_sqlite_does_not_wrap_a_file_that_manages_itself(sql: str) -> None:
    assert not SQLITE.plan(sql, "f.sql").wrapped


def test_d1_always_wraps() -> None:
    assert D1.plan("PRAGMA foreign_keys=OFF;\nCREATE TABLE a(x);\n", "f.sql").wrapped


def test_d1_strips_wranglers_begin_transaction_and_first_commit() -> None:
    plan = D1.plan("BEGIN TRANSACTION;\nCREATE TABLE a(x);\nCOMMIT;\n", "f.sql")
    assert [s.sql for s in plan.statements] == ["CREATE TABLE a(x);"]


@pytest.mark.parametrize(
    "sql",
    [
        "BEGIN;\nCREATE TABLE a(x);\nCOMMIT;\n",
        "begin transaction;\nCREATE TABLE a(x);\ncommit;\n",
        "SAVEPOINT s;\nCREATE TABLE a(x);\nRELEASE s;\n",
        "CREATE TABLE a(x);\nCOMMIT;\n",
    ],
    ids=["bare-begin", "lowercase", "savepoint", "commit-without-begin"],
)
def test_d1_refuses_transaction_statements_wrangler_does_not_strip(sql: str) -> None:
    with pytest.raises(MigrationRefusedError) as excinfo:
        D1.plan(sql, "f.sql")
    assert excinfo.value.reason == D1_TRANSACTION_MESSAGE


def test_d1_refuses_vacuum() -> None:
    with pytest.raises(MigrationRefusedError, match="not authorized: SQLITE_AUTH"):
        D1.plan("VACUUM;\n", "f.sql")


def test_d1_refuses_a_last_statement_without_semicolon() -> None:
    with pytest.raises(MigrationRefusedError, match='near "INSERT": syntax error') as excinfo:
        D1.plan("CREATE TABLE a(x);\nCREATE TABLE b(x)", "f.sql")
    assert excinfo.value.statement.sql == "CREATE TABLE b(x)"


def test_sqlite_runs_a_last_statement_without_semicolon() -> None:
    plan = SQLITE.plan("CREATE TABLE a(x);\nCREATE TABLE b(x)", "f.sql")
    assert [s.terminated for s in plan.statements] == [True, False]


@pytest.mark.parametrize(
    "sql",
    [
        "PRAGMA integrity_check",
        "PRAGMA user_version = 3",
        "PRAGMA journal_mode = WAL",
        "PRAGMA compile_options",
        "PRAGMA writable_schema = ON",
        "ATTACH ':memory:' AS other",
        "CREATE TEMP TABLE tmp(x)",
        "CREATE TABLE _cf_meta(x)",
        "SELECT sqlite_version()",
    ],
)
def test_d1_authorizer_refuses_what_d1_refuses(d1_conn: sqlite3.Connection, sql: str) -> None:
    with pytest.raises(sqlite3.DatabaseError, match="not authorized"):
        d1_conn.execute(sql)


@pytest.mark.parametrize(
    "sql",
    [
        "PRAGMA table_info(t)",
        "PRAGMA foreign_key_check",
        "PRAGMA quick_check",
        "PRAGMA defer_foreign_keys = ON",
        "SELECT json('{}'), abs(-1)",
        "CREATE TABLE cf_ok(x)",
    ],
)
def test_d1_authorizer_allows_what_d1_allows(d1_conn: sqlite3.Connection, sql: str) -> None:
    d1_conn.execute(sql).fetchall()


def test_d1_authorizer_ignores_turning_foreign_keys_off(d1_conn: sqlite3.Connection) -> None:
    d1_conn.set_authorizer(None)
    d1_conn.execute("PRAGMA foreign_keys = ON")
    d1_conn.set_authorizer(D1.authorizer())
    d1_conn.execute("PRAGMA foreign_keys = OFF")
    d1_conn.set_authorizer(None)
    assert d1_conn.execute("PRAGMA foreign_keys").fetchone() == (1,)


@pytest.mark.parametrize(
    ("target", "pragma", "conflict"),
    [
        ("d1", "PRAGMA foreign_keys = ON;", False),  # what D1 does anyway (wildebeest)
        ("d1", "PRAGMA foreign_keys = OFF;", True),  # ignored: the rebuild cascades
        ("goose", "PRAGMA foreign_keys = OFF;", False),  # goose's connection has them off
        ("goose", "PRAGMA foreign_keys = ON;", True),  # asked for, never enforced
        ("sqlx", "PRAGMA foreign_keys=0;", True),  # sqlx turns them on
        ("sqlx", "PRAGMA foreign_keys;", False),  # a query changes nothing
    ],
)
def test_a_foreign_keys_pragma_conflicts_only_when_it_asks_for_a_change(
    target: str, pragma: str, conflict: bool
) -> None:
    """Inside the runner's transaction the pragma is a no-op: a conflict only if it asks for
    something the connection does not already do."""
    sql = f"{pragma}\nCREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY);\n"
    assert bool(TARGETS[target].conflicts(sql)) is conflict


WIDE = "CREATE TABLE wide ({});\n"
LIMITS = [
    (WIDE.format(", ".join(f"c{i}" for i in range(101))), "too many columns on table: 101"),
    ("INSERT INTO t VALUES ('" + "x" * 100_001 + "');\n", "statement too long"),
    ("SELECT json_array(" + ", ".join(["1"] * 33) + ");\n", "too many arguments"),
]


@pytest.mark.parametrize(("sql", "reason"), LIMITS, ids=["columns", "length", "arguments"])
def test_d1_refuses_what_breaks_cloudflares_published_limits(sql: str, reason: str) -> None:
    with pytest.raises(MigrationRefusedError, match=reason):
        D1.plan(sql, "f.sql")


@pytest.mark.parametrize(
    "sql",
    [
        WIDE.format(", ".join(f"c{i}" for i in range(100))),
        "INSERT INTO t VALUES ('" + "x" * 99_000 + "');\n",
        "SELECT json_array(" + ", ".join(["1"] * 32) + ");\n",
    ],
    ids=["columns", "length", "arguments"],
)
def test_d1_accepts_what_is_within_the_limits(sql: str) -> None:
    assert D1.plan(sql, "f.sql").statements


def test_sqlite_has_no_d1_limits() -> None:
    sql = LIMITS[0][0]
    assert SQLITE.plan(sql, "f.sql").statements
